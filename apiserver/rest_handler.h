// apiserver/rest_handler.h — the Kubernetes REST verbs over HTTP: turns a
// resource request into an ObjectRegistry call and its answer into JSON (or a
// meta.k8s.io Table when the client asks for one), and runs watch streams.
#pragma once

#include <memory>

#include <uv.h>

#include "apiserver/http_server.h"
#include "apiserver/object_registry.h"
#include "apiserver/request_info.h"
#include "client/pod_log_source.h"

namespace minik {

class RestHandler {
 public:
  RestHandler(uv_loop_t* loop, ObjectRegistry& registry) : loop_(loop), registry_(registry) {}

  // Where pods/log reads from (the node runtime); without one, logs are
  // "not available". Not owned.
  void setPodLogSource(PodLogSource* source) { podLogs_ = source; }

  // Answers a request for which info.isResourceRequest is true.
  void handle(const HttpRequest& request, const RequestInfo& info, const QueryParams& query,
              const std::shared_ptr<HttpExchange>& exchange);

 private:
  uv_loop_t* loop_;
  ObjectRegistry& registry_;
  PodLogSource* podLogs_ = nullptr;
};

// Sends a Status as the response.
void respondError(HttpExchange& exchange, const ApiError& error);
void respondJson(HttpExchange& exchange, int code, const nlohmann::json& body);

}  // namespace minik
