#include "apiserver/watch_session.h"

#include <ctime>
#include <vector>

#include "apiserver/table.h"

namespace minik {

using nlohmann::json;

namespace {

// Kubernetes picks a random timeout in [30m, 60m); one fixed bound is enough here.
constexpr int64_t kDefaultTimeoutSeconds = 1800;
constexpr uint64_t kBookmarkIntervalMs = 60 * 1000;

const char* eventTypeName(EventType type) {
  switch (type) {
    case EventType::Added: return "ADDED";
    case EventType::Modified: return "MODIFIED";
    case EventType::Deleted: return "DELETED";
  }
  return "ERROR";
}

class WatchSession : public std::enable_shared_from_this<WatchSession> {
 public:
  WatchSession(uv_loop_t* loop, ObjectRegistry& registry, WatchRequest request,
               std::shared_ptr<HttpExchange> exchange)
      : loop_(loop), registry_(registry), request_(std::move(request)), exchange_(std::move(exchange)) {}

  void start() {
    self_ = shared_from_this();
    uv_async_init(loop_, &async_, [](uv_async_t* h) { static_cast<WatchSession*>(h->data)->pump(); });
    async_.data = this;
    uv_timer_init(loop_, &timeout_);
    timeout_.data = this;
    uv_timer_init(loop_, &bookmark_);
    bookmark_.data = this;
    handlesOpen_ = 3;

    std::weak_ptr<WatchSession> weak = self_;
    exchange_->onClose([weak] {
      if (auto s = weak.lock()) s->finish(false);
    });
    exchange_->beginStream(200, "application/json");

    int64_t from = 0;
    const std::string& rv = request_.resourceVersion;
    if (rv.empty() || rv == "0") {
      from = sendInitialState();
      if (finished_) return;
    } else {
      from = std::atoll(rv.c_str());
    }
    WatchFilter filter{request_.kind->storageResource(),
                       request_.kind->namespaced ? request_.query.ns : "", request_.name};
    StoreResult result;
    uv_async_t* async = &async_;
    watch_ = registry_.store().watch(filter, from, [async] { uv_async_send(async); }, &result);
    if (!watch_) {
      sendGone("too old resource version: " + rv + " (" +
               std::to_string(registry_.store().compactedRevision()) + ")");
      return finish(true);
    }
    int64_t timeout = request_.timeoutSeconds > 0 ? request_.timeoutSeconds : kDefaultTimeoutSeconds;
    uv_timer_start(&timeout_, [](uv_timer_t* t) { static_cast<WatchSession*>(t->data)->finish(true); },
                   static_cast<uint64_t>(timeout) * 1000, 0);
    if (request_.bookmarks) {
      uv_timer_start(&bookmark_, [](uv_timer_t* t) { static_cast<WatchSession*>(t->data)->sendBookmark(); },
                     kBookmarkIntervalMs, kBookmarkIntervalMs);
    }
    pump();
  }

 private:
  int64_t sendInitialState() {
    auto outcome = registry_.list(*request_.kind, request_.query, [&](const std::string& text) {
      if (!request_.name.empty()) {
        json object = json::parse(text);
        if (object["metadata"].value("name", "") != request_.name) return;
        send("ADDED", text, &object);
        return;
      }
      send("ADDED", text, nullptr);
    });
    if (outcome.error) {
      sendError(*outcome.error);
      finish(true);
      return 0;
    }
    return outcome.revision;
  }

  // Sends one event; object is the parsed form of text when the caller has it.
  void send(const char* type, const std::string& text, const json* object) {
    if (finished_) return;
    std::string line;
    if (request_.asTable) {
      json parsed = object ? *object : json::parse(text);
      json table = {{"kind", "Table"},
                    {"apiVersion", "meta.k8s.io/v1"},
                    {"metadata", {{"resourceVersion", parsed["metadata"].value("resourceVersion", "")}}},
                    {"rows", {tableRow(*request_.kind, parsed, request_.includeObject, std::time(nullptr))}}};
      // Column definitions travel once, with the first event.
      table["columnDefinitions"] = sentColumns_ ? json(nullptr) : tableColumns(*request_.kind);
      sentColumns_ = true;
      line = json{{"type", type}, {"object", table}}.dump();
    } else {
      line = std::string("{\"type\":\"") + type + "\",\"object\":" + text + "}";
    }
    line += '\n';
    if (!exchange_->write(line)) finish(false);
  }

  void pump() {
    if (finished_ || !watch_) return;
    std::vector<StoreEvent> events;
    bool alive = watch_->drain(events);
    const bool filtered = (request_.query.labels && !request_.query.labels->empty()) ||
                          (request_.query.fields && !request_.query.fields->empty());
    for (const auto& event : events) {
      if (filtered) {
        json object = json::parse(event.json, nullptr, false);
        if (!object.is_object() || !ObjectRegistry::matches(request_.query, object)) continue;
        send(eventTypeName(event.type), event.json, &object);
      } else {
        send(eventTypeName(event.type), event.json, nullptr);
      }
      if (finished_) return;
    }
    if (!alive) {
      sendGone("the watch fell too far behind; list again");
      finish(true);
    }
  }

  void sendBookmark() {
    json object = {{"kind", request_.kind->kind},
                   {"apiVersion", request_.kind->apiVersion()},
                   {"metadata", {{"resourceVersion", std::to_string(registry_.store().currentRevision())},
                                 {"annotations", {{"k8s.io/initial-events-end", "true"}}}}}};
    std::string line = json{{"type", "BOOKMARK"}, {"object", object}}.dump() + "\n";
    if (!exchange_->write(line)) finish(false);
  }

  void sendError(const ApiError& error) {
    std::string line = json{{"type", "ERROR"}, {"object", error.status}}.dump() + "\n";
    exchange_->write(line);
  }

  void sendGone(const std::string& message) { sendError(gone(message)); }

  // Ends the stream (when the connection is still there) and releases everything.
  void finish(bool endStream) {
    if (finished_) return;
    finished_ = true;
    if (watch_) watch_->cancel();
    if (endStream && !exchange_->closed()) exchange_->endStream();
    auto onClosed = [](uv_handle_t* h) {
      auto* s = static_cast<WatchSession*>(h->data);
      if (--s->handlesOpen_ == 0) s->self_.reset();  // last handle: free the session
    };
    uv_close(reinterpret_cast<uv_handle_t*>(&async_), onClosed);
    uv_close(reinterpret_cast<uv_handle_t*>(&timeout_), onClosed);
    uv_close(reinterpret_cast<uv_handle_t*>(&bookmark_), onClosed);
  }

  uv_loop_t* loop_;
  ObjectRegistry& registry_;
  WatchRequest request_;
  std::shared_ptr<HttpExchange> exchange_;
  std::shared_ptr<StoreWatch> watch_;
  std::shared_ptr<WatchSession> self_;  // keeps the session alive until its handles closed
  uv_async_t async_{};
  uv_timer_t timeout_{};
  uv_timer_t bookmark_{};
  int handlesOpen_ = 0;
  bool finished_ = false;
  bool sentColumns_ = false;
};

}  // namespace

void startWatch(uv_loop_t* loop, ObjectRegistry& registry, const WatchRequest& request,
                const std::shared_ptr<HttpExchange>& exchange) {
  std::make_shared<WatchSession>(loop, registry, request, exchange)->start();
}

}  // namespace minik
