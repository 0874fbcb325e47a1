// apiserver/api_server.h — the Kubernetes API over HTTP: health and version
// endpoints, discovery, OpenAPI, and the resource paths (RestHandler).
#pragma once

#include <memory>
#include <string>

#include <uv.h>

#include "apiserver/http_server.h"
#include "apiserver/object_registry.h"
#include "apiserver/rest_handler.h"

namespace minik {

struct ApiServerOptions {
  std::string bindAddress = "127.0.0.1";
  int port = 6443;
  HttpLimits limits;
};

class ApiServer {
 public:
  ApiServer(uv_loop_t* loop, ObjectRegistry& registry, ApiServerOptions options);
  // Listens; false with error set when the address cannot be bound.
  bool start(std::string* error);
  int port() const { return http_.port(); }
  void stop() { http_.close(); }
  void setPodLogSource(PodLogSource* source) { rest_.setPodLogSource(source); }

 private:
  void handle(const HttpRequest& request, const std::shared_ptr<HttpExchange>& exchange);

  ApiServerOptions options_;
  ObjectRegistry& registry_;
  RestHandler rest_;
  HttpServer http_;
};

}  // namespace minik
