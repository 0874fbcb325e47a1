#include "apiserver/api_server.h"

#include "apiserver/discovery.h"
#include "apiserver/openapi_v2.h"

namespace minik {

using nlohmann::json;

namespace {

void respondNotFound(HttpExchange& exchange) {
  respondError(exchange, statusError(404, "NotFound", "the server could not find the requested resource",
                                     json::object()));
}

}  // namespace

ApiServer::ApiServer(uv_loop_t* loop, ObjectRegistry& registry, ApiServerOptions options)
    : options_(std::move(options)),
      registry_(registry),
      rest_(loop, registry),
      http_(loop, options_.limits,
            [this](const HttpRequest& request, std::shared_ptr<HttpExchange> exchange) {
              handle(request, exchange);
            }) {}

bool ApiServer::start(std::string* error) {
  return http_.listen(options_.bindAddress, options_.port, error);
}

void ApiServer::handle(const HttpRequest& request, const std::shared_ptr<HttpExchange>& exchange) {
  const std::string& path = request.path;
  const bool read = request.method == "GET" || request.method == "HEAD";
  if (path == "/healthz" || path == "/livez" || path == "/readyz") {
    return exchange->respond(200, "text/plain; charset=utf-8", "ok");
  }
  if (read && path == "/version") return respondJson(*exchange, 200, versionInfo());
  if (read && path == "/api") {
    return respondJson(*exchange, 200,
                       apiVersions(options_.bindAddress + ":" + std::to_string(http_.port())));
  }
  if (read && path == "/apis") return respondJson(*exchange, 200, apiGroupList());
  if (read && path == "/openapi/v2") {
    return exchange->respond(200, kOpenApiV2ProtobufType, openApiV2Protobuf());
  }
  if (read && path == "/openapi/v3") return respondJson(*exchange, 200, openApiV3Index());
  if (read && path.rfind("/openapi/v3/", 0) == 0) {
    RequestInfo gv = parseRequestInfo("GET", path.substr(std::string("/openapi/v3").size()), {});
    json doc = openApiV3Document(gv.group, gv.version);
    if (doc.is_null()) return respondNotFound(*exchange);
    return respondJson(*exchange, 200, doc);
  }
  QueryParams query = parseQuery(request.rawQuery);
  RequestInfo info = parseRequestInfo(request.method, path, query);
  if (info.isResourceRequest) return rest_.handle(request, info, query, exchange);
  if (read && !info.version.empty() && info.resource.empty()) {
    json list = apiResourceList(info.group, info.version);
    if (!list.is_null()) return respondJson(*exchange, 200, list);
  }
  respondNotFound(*exchange);
}

}  // namespace minik
