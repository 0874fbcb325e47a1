// apiserver/watch_session.h — one HTTP watch stream (?watch=1).
//
// Sends the initial state as ADDED events when the client asked for no
// resourceVersion (or "0"), then every change after it, one JSON object per
// line, as Kubernetes' watch encoding does; BOOKMARK events when asked; an
// ERROR event with a 410 Status when the requested revision is compacted or
// the client fell too far behind. Ends after timeoutSeconds.
//
// Invariants: owns its libuv handles and frees itself once the stream ended
// and every handle closed; a closed connection cancels the store watch.
#pragma once

#include <memory>
#include <string>

#include <uv.h>

#include "api/kinds.h"
#include "apiserver/http_server.h"
#include "apiserver/object_registry.h"

namespace minik {

struct WatchRequest {
  const KindInfo* kind = nullptr;
  ListQuery query;            // namespace and selectors
  std::string name;           // a single object (from fieldSelector metadata.name), or ""
  std::string resourceVersion;
  bool bookmarks = false;
  int64_t timeoutSeconds = 0;  // 0: the server's default
  bool asTable = false;
  std::string includeObject;   // for tables
};

// Starts the stream; its lifetime is managed internally.
void startWatch(uv_loop_t* loop, ObjectRegistry& registry, const WatchRequest& request,
                const std::shared_ptr<HttpExchange>& exchange);

}  // namespace minik
