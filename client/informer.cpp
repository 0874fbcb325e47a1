#include "client/informer.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

namespace minik {

namespace {

// "namespace/name": no namespace contains '/', so the first one splits it.
std::string keyOf(const nlohmann::json& object) {
  const auto& m = object["metadata"];
  return m.value("namespace", "") + "/" + m.value("name", "");
}

int64_t revisionOf(const nlohmann::json& object) {
  return std::atoll(object["metadata"].value("resourceVersion", "0").c_str());
}

uint64_t digest(const std::string& key) {
  uint64_t h = 14695981039346656037ull;  // FNV-1a
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::unique_ptr<char[]> copyOf(const std::string& key) {
  std::unique_ptr<char[]> out(new char[key.size() + 1]);
  std::memcpy(out.get(), key.c_str(), key.size() + 1);
  return out;
}

}  // namespace

Informer::Informer(ClusterClient& client, const KindInfo& kind, std::string ns, Handlers handlers)
    : client_(client), kind_(kind), ns_(std::move(ns)), handlers_(std::move(handlers)) {}

Informer::~Informer() { stop(); }

void Informer::start() { resync(); }

void Informer::stop() {
  if (watch_) {
    watch_->cancel();
    watch_.reset();
  }
}

Informer::Known* Informer::find(const std::string& key) {
  auto it = known_.find(digest(key));
  if (it != known_.end() && key == it->second.key.get()) return &it->second;
  auto other = collided_.find(key);
  return other == collided_.end() ? nullptr : &other->second;
}

Informer::Known& Informer::insert(const std::string& key) {
  if (Known* existing = find(key)) return *existing;
  auto [it, added] = known_.try_emplace(digest(key));
  Known& slot = added ? it->second : collided_[key];
  slot.key = copyOf(key);
  return slot;
}

void Informer::erase(const std::string& key) {
  auto it = known_.find(digest(key));
  if (it != known_.end() && key == it->second.key.get()) known_.erase(it);
  else collided_.erase(key);
}

void Informer::resync() {
  stop();
  const uint32_t relist = ++relists_;
  ClientList list = client_.listEach(kind_, ns_, [&](const nlohmann::json& object) {
    const std::string key = keyOf(object);
    Known* known = find(key);
    const bool fresh = !known;
    if (fresh) known = &insert(key);
    known->listed = relist;
    int64_t revision = revisionOf(object);
    if (!fresh && known->revision == revision) return;
    known->revision = revision;
    if (handlers_.onUpsert) handlers_.onUpsert(object);
  });
  if (list.error) {
    std::fprintf(stderr, "minik: informer for %s cannot list: %s\n", kind_.resource.c_str(),
                 list.error->status.value("message", "").c_str());
    return;
  }
  std::vector<std::string> vanished;
  for (const auto& [digest, known] : known_) {
    if (known.listed != relist) vanished.push_back(known.key.get());
  }
  for (const auto& [key, known] : collided_) {
    if (known.listed != relist) vanished.push_back(key);
  }
  std::sort(vanished.begin(), vanished.end());
  for (const std::string& key : vanished) {
    // Vanished while the watch was gone: only its key is known.
    erase(key);
    size_t slash = key.find('/');
    nlohmann::json last = {{"apiVersion", kind_.apiVersion()},
                           {"kind", kind_.kind},
                           {"metadata", {{"namespace", key.substr(0, slash)}, {"name", key.substr(slash + 1)}}}};
    if (handlers_.onDelete) handlers_.onDelete(last);
  }
  watch_ = client_.watch(
      kind_, ns_, list.revision, [this](const ClientEvent& event) { apply(event); },
      [this] { resync(); });
}

void Informer::apply(const ClientEvent& event) {
  const std::string key = keyOf(event.object);
  if (event.type == WatchEventType::Deleted) {
    erase(key);
    if (handlers_.onDelete) handlers_.onDelete(event.object);
    return;
  }
  insert(key).revision = event.revision;
  if (handlers_.onUpsert) handlers_.onUpsert(event.object);
}

}  // namespace minik
