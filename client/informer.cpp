#include "client/informer.h"

#include <cstdio>
#include <set>

namespace minik {

namespace {

std::pair<std::string, std::string> keyOf(const nlohmann::json& object) {
  const auto& m = object["metadata"];
  return {m.value("namespace", ""), m.value("name", "")};
}

int64_t revisionOf(const nlohmann::json& object) {
  return std::atoll(object["metadata"].value("resourceVersion", "0").c_str());
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

void Informer::resync() {
  stop();
  std::set<std::pair<std::string, std::string>> present;
  ClientList list = client_.listEach(kind_, ns_, [&](const nlohmann::json& object) {
    auto key = keyOf(object);
    present.insert(key);
    int64_t revision = revisionOf(object);
    auto it = known_.find(key);
    if (it != known_.end() && it->second == revision) return;
    known_[key] = revision;
    if (handlers_.onUpsert) handlers_.onUpsert(object);
  });
  if (list.error) {
    std::fprintf(stderr, "minik: informer for %s cannot list: %s\n", kind_.resource.c_str(),
                 list.error->status.value("message", "").c_str());
    return;
  }
  for (auto it = known_.begin(); it != known_.end();) {
    if (present.count(it->first)) {
      ++it;
      continue;
    }
    // Vanished while the watch was gone: only its key is known.
    nlohmann::json last = {{"apiVersion", kind_.apiVersion()},
                           {"kind", kind_.kind},
                           {"metadata", {{"namespace", it->first.first}, {"name", it->first.second}}}};
    it = known_.erase(it);
    if (handlers_.onDelete) handlers_.onDelete(last);
  }
  watch_ = client_.watch(
      kind_, ns_, list.revision, [this](const ClientEvent& event) { apply(event); },
      [this] { resync(); });
}

void Informer::apply(const ClientEvent& event) {
  auto key = keyOf(event.object);
  if (event.type == WatchEventType::Deleted) {
    known_.erase(key);
    if (handlers_.onDelete) handlers_.onDelete(event.object);
    return;
  }
  known_[key] = event.revision;
  if (handlers_.onUpsert) handlers_.onUpsert(event.object);
}

}  // namespace minik
