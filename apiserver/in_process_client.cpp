#include "apiserver/in_process_client.h"

#include <vector>

namespace minik {

using nlohmann::json;

namespace {

// Objects per page of listEach: bounds the raw JSON held at once.
constexpr int64_t kListPageSize = 500;

ClientResult fromRegistry(RegistryResult r) {
  ClientResult out;
  out.object = std::move(r.object);
  out.error = std::move(r.error);
  return out;
}

WatchEventType toClientType(EventType type) {
  switch (type) {
    case EventType::Added: return WatchEventType::Added;
    case EventType::Modified: return WatchEventType::Modified;
    case EventType::Deleted: break;
  }
  return WatchEventType::Deleted;
}

// A store watch whose events are drained on the loop thread. Owns itself
// until its async handle closed, so cancel() is safe inside a callback.
class LoopWatch : public std::enable_shared_from_this<LoopWatch> {
 public:
  LoopWatch(std::function<void(const ClientEvent&)> onEvent, std::function<void()> onGone)
      : onEvent_(std::move(onEvent)), onGone_(std::move(onGone)) {}

  bool start(uv_loop_t* loop, Store& store, const WatchFilter& filter, int64_t from) {
    self_ = shared_from_this();
    uv_async_init(loop, &async_, [](uv_async_t* h) {
      auto self = static_cast<LoopWatch*>(h->data)->shared_from_this();
      self->pump();
    });
    async_.data = this;
    StoreResult result;
    uv_async_t* async = &async_;
    watch_ = store.watch(filter, from, [async] { uv_async_send(async); }, &result);
    if (!watch_) {
      // Too old a revision: report Gone from the loop, as a live watch would.
      gone_ = true;
      uv_async_send(&async_);
    }
    return true;
  }

  void cancel() {
    if (cancelled_) return;
    cancelled_ = true;
    if (watch_) watch_->cancel();
    uv_close(reinterpret_cast<uv_handle_t*>(&async_), [](uv_handle_t* h) {
      static_cast<LoopWatch*>(h->data)->self_.reset();
    });
  }

 private:
  void pump() {
    if (cancelled_) return;
    if (gone_) {
      if (onGone_) onGone_();
      return;
    }
    std::vector<StoreEvent> events;
    bool alive = watch_->drain(events);
    for (const auto& event : events) {
      if (cancelled_) return;
      ClientEvent e;
      e.type = toClientType(event.type);
      e.revision = event.revision;
      e.object = json::parse(event.json, nullptr, false);
      if (e.object.is_object()) onEvent_(e);
    }
    if (!alive && !cancelled_) {
      gone_ = true;
      if (onGone_) onGone_();
    }
  }

  std::function<void(const ClientEvent&)> onEvent_;
  std::function<void()> onGone_;
  std::shared_ptr<StoreWatch> watch_;
  std::shared_ptr<LoopWatch> self_;
  uv_async_t async_{};
  bool cancelled_ = false;
  bool gone_ = false;
};

class LoopWatchHandle : public ClientWatch {
 public:
  explicit LoopWatchHandle(std::shared_ptr<LoopWatch> watch) : watch_(std::move(watch)) {}
  ~LoopWatchHandle() override { cancel(); }
  void cancel() override {
    if (watch_) watch_->cancel();
    watch_.reset();
  }

 private:
  std::shared_ptr<LoopWatch> watch_;
};

}  // namespace

ClientResult InProcessClient::get(const KindInfo& kind, const std::string& ns, const std::string& name) {
  return fromRegistry(registry_.get(kind, ns, name));
}

ClientList InProcessClient::list(const KindInfo& kind, const std::string& ns,
                                 const std::string& labelSelector) {
  ClientList out;
  ListQuery query;
  query.ns = ns;
  if (!labelSelector.empty()) {
    std::string error;
    query.labels = LabelSelector::parse(labelSelector, &error);
    if (!query.labels) {
      out.error = badRequest(error);
      return out;
    }
  }
  auto outcome = registry_.list(kind, query, [&](const std::string& text) {
    out.items.push_back(json::parse(text));
  });
  out.error = outcome.error;
  out.revision = outcome.revision;
  return out;
}

ClientList InProcessClient::listEach(const KindInfo& kind, const std::string& ns,
                                     const std::function<void(const json&)>& visit) {
  ClientList out;
  ListQuery query;
  query.ns = ns;
  query.limit = kListPageSize;
  // The store's lock is held while rows stream, and visitors may write: read
  // a page of raw rows, then parse and visit them outside it.
  std::vector<std::string> page;
  do {
    page.clear();
    auto outcome = registry_.list(kind, query, [&](const std::string& text) { page.push_back(text); });
    if (outcome.error) {
      out.error = outcome.error;
      return out;
    }
    if (out.revision == 0) out.revision = outcome.revision;
    query.continueToken = outcome.continueToken;
    for (auto& text : page) {
      json object = json::parse(text, nullptr, false);
      if (object.is_object()) visit(object);
    }
  } while (!query.continueToken.empty());
  return out;
}

ClientResult InProcessClient::create(const KindInfo& kind, const std::string& ns, json object) {
  return fromRegistry(registry_.create(kind, ns, std::move(object), false));
}

ClientResult InProcessClient::update(const KindInfo& kind, const std::string& ns,
                                     const std::string& name, json object,
                                     const std::string& subresource) {
  return fromRegistry(registry_.update(kind, ns, name, std::move(object), subresource, false));
}

ClientResult InProcessClient::patch(const KindInfo& kind, const std::string& ns,
                                    const std::string& name, PatchType type, const json& patch,
                                    const std::string& subresource) {
  return fromRegistry(registry_.patch(kind, ns, name, type, patch, subresource, false));
}

ClientResult InProcessClient::remove(const KindInfo& kind, const std::string& ns,
                                     const std::string& name, const DeleteOptions& options) {
  return fromRegistry(registry_.remove(kind, ns, name, options));
}

std::unique_ptr<ClientWatch> InProcessClient::watch(const KindInfo& kind, const std::string& ns,
                                                    int64_t fromRevision,
                                                    std::function<void(const ClientEvent&)> onEvent,
                                                    std::function<void()> onGone) {
  auto watch = std::make_shared<LoopWatch>(std::move(onEvent), std::move(onGone));
  WatchFilter filter{kind.storageResource(), kind.namespaced ? ns : "", ""};
  watch->start(loop_, registry_.store(), filter, fromRevision);
  return std::make_unique<LoopWatchHandle>(watch);
}

}  // namespace minik
