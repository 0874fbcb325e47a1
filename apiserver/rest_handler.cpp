#include "apiserver/rest_handler.h"

#include <ctime>

#include "api/protobuf_object.h"
#include "api/strategic_merge.h"
#include "api/unknown_fields.h"
#include "apiserver/table.h"
#include "apiserver/watch_session.h"

namespace minik {

using nlohmann::json;

namespace {

bool wantsTable(const HttpRequest& request) {
  return request.header("accept").find("as=Table") != std::string::npos;
}

std::string param(const QueryParams& q, const char* key) {
  auto it = q.find(key);
  return it == q.end() ? std::string() : it->second;
}

bool isDryRun(const QueryParams& q) { return param(q, "dryRun") == "All"; }

// Decodes a request body (JSON, or protobuf as kubectl 1.32+ sends) as the
// JSON object of kind (apiVersion and kind checked as Kubernetes' decoder does).
std::optional<ApiError> decodeObject(const HttpRequest& request, const KindInfo& kind, json& out) {
  const std::string& type = request.header("content-type");
  if (isProtobufMediaType(type)) {
    if (auto error = decodeProtobufObject(request.body, kind.apiVersion(), kind.kind, out)) return badRequest(*error);
  } else if (!type.empty() && type.find("json") == std::string::npos) {
    return unsupportedMediaType(type);
  } else {
    out = json::parse(request.body, nullptr, false);
    if (out.is_discarded()) {
      return badRequest("the body of the request could not be decoded: invalid JSON");
    }
  }
  if (!out.is_object()) return badRequest("the body of the request was not a JSON object");
  auto k = out.find("kind");
  if (k == out.end() || !k->is_string() || k->get<std::string>().empty()) {
    return badRequest("Object 'Kind' is missing in '" + request.body.substr(0, 512) + "'");
  }
  auto v = out.find("apiVersion");
  std::string apiVersion = v != out.end() && v->is_string() ? v->get<std::string>() : "";
  if (apiVersion != kind.apiVersion()) {
    return badRequest("the API version in the data (" + apiVersion +
                      ") does not match the expected API version (" + kind.apiVersion() + ")");
  }
  if (k->get<std::string>() != kind.kind) {
    return badRequest("the kind in the data (" + k->get<std::string>() +
                      ") does not match the expected kind (" + kind.kind + ")");
  }
  return std::nullopt;
}

std::optional<ApiError> parseSelectors(const KindInfo& kind, const QueryParams& q, ListQuery& query) {
  std::string error;
  std::string labels = param(q, "labelSelector");
  if (!labels.empty()) {
    query.labels = LabelSelector::parse(labels, &error);
    if (!query.labels) return badRequest(error);
  }
  std::string fields = param(q, "fieldSelector");
  if (!fields.empty()) {
    query.fields = FieldSelector::parse(kind, fields, &error);
    if (!query.fields) return badRequest(error);
  }
  return std::nullopt;
}

json tableOf(const KindInfo& kind, const std::vector<json>& objects, const std::string& includeObject,
             const json& listMetadata) {
  json rows = json::array();
  std::time_t now = std::time(nullptr);
  for (const auto& object : objects) rows.push_back(tableRow(kind, object, includeObject, now));
  return {{"kind", "Table"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", listMetadata},
          {"columnDefinitions", tableColumns(kind)},
          {"rows", rows}};
}

std::string includeObjectParam(const QueryParams& q) {
  std::string v = param(q, "includeObject");
  return v.empty() ? "Metadata" : v;
}

DeleteOptions deleteOptionsFrom(const HttpRequest& request, const QueryParams& q,
                                std::optional<ApiError>* error) {
  DeleteOptions options;
  options.dryRun = isDryRun(q);
  std::string grace = param(q, "gracePeriodSeconds");
  if (!grace.empty()) options.gracePeriodSeconds = std::atoll(grace.c_str());
  options.propagationPolicy = param(q, "propagationPolicy");
  if (!request.body.empty()) {
    json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      *error = badRequest("the body of the request could not be decoded as DeleteOptions");
      return options;
    }
    if (body.contains("gracePeriodSeconds") && body["gracePeriodSeconds"].is_number_integer()) {
      options.gracePeriodSeconds = body["gracePeriodSeconds"].get<int64_t>();
    }
    if (body.contains("propagationPolicy") && body["propagationPolicy"].is_string()) {
      options.propagationPolicy = body["propagationPolicy"].get<std::string>();
    }
    if (body.contains("dryRun") && body["dryRun"].is_array() && !body["dryRun"].empty()) {
      options.dryRun = true;
    }
    if (body.contains("preconditions") && body["preconditions"].is_object()) {
      const json& p = body["preconditions"];
      if (p.contains("uid") && p["uid"].is_string()) options.preconditionUid = p["uid"];
      if (p.contains("resourceVersion") && p["resourceVersion"].is_string()) {
        options.preconditionRevision = std::atoll(p["resourceVersion"].get<std::string>().c_str());
      }
    }
  }
  const std::string& policy = options.propagationPolicy;
  if (!policy.empty() && policy != "Background" && policy != "Foreground" && policy != "Orphan") {
    *error = statusError(422, "Invalid",
                         "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"" +
                             policy + "\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"");
  }
  return options;
}

// A Warning header (RFC 7234 form, as Kubernetes writes it) per warning.
std::vector<std::pair<std::string, std::string>> warningHeaders(const std::vector<std::string>& warnings) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& text : warnings) {
    std::string quoted = "299 - \"";
    for (char c : text) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    headers.emplace_back("Warning", quoted + "\"");
  }
  return headers;
}

void respondObject(HttpExchange& exchange, const HttpRequest& request, const KindInfo& kind,
                   const QueryParams& q, const RegistryResult& result,
                   const std::vector<std::string>& warnings = {}) {
  if (!result.ok()) return respondError(exchange, *result.error);
  if (!warnings.empty() && !wantsTable(request)) {
    return exchange.respond(result.code, "application/json", result.object.dump(), warningHeaders(warnings));
  }
  if (wantsTable(request) && result.object.value("kind", "") == kind.kind) {
    json meta = {{"resourceVersion", result.object["metadata"].value("resourceVersion", "")}};
    return respondJson(exchange, result.code, tableOf(kind, {result.object}, includeObjectParam(q), meta));
  }
  respondJson(exchange, result.code, result.object);
}

// GET pods/NAME/log: the runtime's bytes as text/plain, streamed (chunked)
// so that follow=true works; errors before the first byte are Status answers.
void streamPodLog(PodLogSource& source, const RegistryResult& pod, const QueryParams& q,
                  const std::shared_ptr<HttpExchange>& exchange) {
  if (!pod.ok()) return respondError(*exchange, *pod.error);
  PodLogOptions options;
  options.container = param(q, "container");
  options.follow = param(q, "follow") == "true";
  options.previous = param(q, "previous") == "true";
  if (!param(q, "tailLines").empty()) options.tailLines = std::atoll(param(q, "tailLines").c_str());
  if (!param(q, "limitBytes").empty()) options.limitBytes = std::atoll(param(q, "limitBytes").c_str());
  auto started = std::make_shared<bool>(false);
  auto begin = [exchange, started] {
    if (!*started) exchange->beginStream(200, "text/plain");
    *started = true;
  };
  std::optional<ApiError> error;
  std::shared_ptr<PodLogStream> stream = source.open(
      pod.object, options,
      [exchange, begin](std::string_view chunk) {
        if (exchange->closed()) return false;
        begin();
        return exchange->write(chunk);
      },
      [exchange, begin] {
        if (exchange->closed()) return;
        begin();
        exchange->endStream();
      },
      &error);
  if (error) return respondError(*exchange, *error);
  exchange->onClose([stream] { stream->cancel(); });
}

}  // namespace

void respondError(HttpExchange& exchange, const ApiError& error) {
  exchange.respond(error.code, "application/json", error.status.dump());
}

void respondJson(HttpExchange& exchange, int code, const json& body) {
  exchange.respond(code, "application/json", body.dump());
}

void RestHandler::handle(const HttpRequest& request, const RequestInfo& info, const QueryParams& q,
                         const std::shared_ptr<HttpExchange>& exchange) {
  const KindInfo* kindPtr = findKindByResource(info.group, info.version, info.resource);
  if (!kindPtr) {
    return respondError(*exchange, statusError(404, "NotFound",
                                               "the server could not find the requested resource",
                                               json{{}}));
  }
  const KindInfo& kind = *kindPtr;
  if (!info.subresource.empty() && !kind.hasSubresource(info.subresource)) {
    return respondError(*exchange, statusError(404, "NotFound",
                                               "the server could not find the requested resource"));
  }
  if (!kind.namespaced && !info.ns.empty()) {
    return respondError(*exchange, statusError(404, "NotFound",
                                               "the server could not find the requested resource"));
  }
  const std::string& verb = info.verb;
  const bool dryRun = isDryRun(q);

  if (info.subresource == "scale") {
    if (verb == "get") return respondObject(*exchange, request, kind, q,
                                            registry_.getScale(kind, info.ns, info.name));
    if (verb == "update" || verb == "patch") {
      json body = json::parse(request.body, nullptr, false);
      if (body.is_discarded()) {
        return respondError(*exchange, badRequest("the body of the request could not be decoded"));
      }
      std::string type = request.header("content-type");
      auto change = [&](json& scale) -> std::optional<ApiError> {
        std::string error;
        bool ok = true;
        if (verb == "update") scale = body;
        else if (type.find("json-patch") != std::string::npos) ok = applyJsonPatch(scale, body, &error);
        else ok = applyMergePatch(scale, body, &error);
        if (!ok) return statusError(422, "Invalid", error);
        return std::nullopt;
      };
      return respondObject(*exchange, request, kind, q,
                           registry_.updateScale(kind, info.ns, info.name, change));
    }
    return respondError(*exchange, methodNotAllowed("the server does not allow this method on the requested resource"));
  }
  if (info.subresource == "log") {
    if (!podLogs_ || kind.kind != "Pod") {
      return respondError(*exchange, statusError(400, "BadRequest",
                                                 "pod logs are not available: no container runtime on this node"));
    }
    return streamPodLog(*podLogs_, registry_.get(kind, info.ns, info.name), q, exchange);
  }

  if (verb == "get") {
    return respondObject(*exchange, request, kind, q, registry_.get(kind, info.ns, info.name));
  }
  if (verb == "list" || verb == "watch") {
    ListQuery query;
    query.ns = info.ns;
    if (auto e = parseSelectors(kind, q, query)) return respondError(*exchange, *e);
    if (verb == "watch") {
      WatchRequest w;
      w.kind = &kind;
      w.query = query;
      w.name = info.name;
      w.resourceVersion = param(q, "resourceVersion");
      w.bookmarks = param(q, "allowWatchBookmarks") == "true";
      w.timeoutSeconds = std::atoll(param(q, "timeoutSeconds").c_str());
      w.asTable = wantsTable(request);
      w.includeObject = includeObjectParam(q);
      return startWatch(loop_, registry_, w, exchange);
    }
    query.limit = std::atoll(param(q, "limit").c_str());
    query.continueToken = param(q, "continue");
    if (wantsTable(request)) {
      std::vector<json> objects;
      auto outcome = registry_.list(kind, query, [&](const std::string& text) {
        objects.push_back(json::parse(text));
      });
      if (outcome.error) return respondError(*exchange, *outcome.error);
      json meta = {{"resourceVersion", std::to_string(outcome.revision)}};
      if (!outcome.continueToken.empty()) meta["continue"] = outcome.continueToken;
      return respondJson(*exchange, 200, tableOf(kind, objects, includeObjectParam(q), meta));
    }
    // Stored objects are streamed as they are: no tree of the whole list.
    std::string body = "{\"kind\":\"" + kind.kind + "List\",\"apiVersion\":\"" + kind.apiVersion() +
                       "\",\"items\":[";
    bool first = true;
    auto outcome = registry_.list(kind, query, [&](const std::string& text) {
      if (!first) body += ',';
      first = false;
      body += text;
    });
    if (outcome.error) return respondError(*exchange, *outcome.error);
    json meta = {{"resourceVersion", std::to_string(outcome.revision)}};
    if (!outcome.continueToken.empty()) meta["continue"] = outcome.continueToken;
    if (outcome.remainingItemCount >= 0 && !outcome.continueToken.empty()) {
      meta["remainingItemCount"] = outcome.remainingItemCount;
    }
    body += "],\"metadata\":" + meta.dump() + "}";
    return exchange->respond(200, "application/json", body);
  }
  if (verb == "create") {
    if (!info.name.empty()) {
      return respondError(*exchange, methodNotAllowed("the server does not allow this method on the requested resource"));
    }
    json object;
    if (auto e = decodeObject(request, kind, object)) return respondError(*exchange, *e);
    auto fields = applyFieldValidation(object, kind, param(q, "fieldValidation"), WriteVerb::Create);
    if (fields.error) return respondError(*exchange, *fields.error);
    return respondObject(*exchange, request, kind, q, registry_.create(kind, info.ns, std::move(object), dryRun),
                         fields.warnings);
  }
  if (verb == "update") {
    json object;
    if (auto e = decodeObject(request, kind, object)) return respondError(*exchange, *e);
    auto fields = applyFieldValidation(object, kind, param(q, "fieldValidation"), WriteVerb::Update);
    if (fields.error) return respondError(*exchange, *fields.error);
    return respondObject(*exchange, request, kind, q,
                         registry_.update(kind, info.ns, info.name, std::move(object), info.subresource, dryRun),
                         fields.warnings);
  }
  if (verb == "patch") {
    std::string type = request.header("content-type");
    type = type.substr(0, type.find(';'));
    PatchType patchType;
    if (type == "application/merge-patch+json") patchType = PatchType::Merge;
    else if (type == "application/json-patch+json") patchType = PatchType::Json;
    else if (type == "application/strategic-merge-patch+json") patchType = PatchType::StrategicMerge;
    else return respondError(*exchange, unsupportedMediaType(type));
    json patch = json::parse(request.body, nullptr, false);
    if (patch.is_discarded()) {
      return respondError(*exchange, badRequest("error decoding patch: invalid JSON"));
    }
    // The unknown fields of the patched object are those the patch brings in,
    // since the stored object has none: a merge or strategic merge patch is
    // checked (and pruned) itself. A JSON patch (an array) is not checked.
    auto fields = applyFieldValidation(patch, kind, param(q, "fieldValidation"), WriteVerb::Patch);
    if (fields.error) return respondError(*exchange, *fields.error);
    return respondObject(*exchange, request, kind, q,
                         registry_.patch(kind, info.ns, info.name, patchType, patch, info.subresource, dryRun),
                         fields.warnings);
  }
  if (verb == "delete") {
    std::optional<ApiError> error;
    DeleteOptions options = deleteOptionsFrom(request, q, &error);
    if (error) return respondError(*exchange, *error);
    RegistryResult r = registry_.remove(kind, info.ns, info.name, options);
    if (!r.ok()) return respondError(*exchange, *r.error);
    // Objects still being finalized are returned; gone ones get a Success Status.
    if (r.object.contains("metadata") && r.object["metadata"].contains("deletionTimestamp") &&
        kind.kind != "Pod") {
      return respondJson(*exchange, 200, r.object);
    }
    if (kind.kind == "Pod") return respondJson(*exchange, 200, r.object);
    return respondJson(*exchange, 200,
                       successStatus(kind, info.name, r.object["metadata"].value("uid", "")));
  }
  if (verb == "deletecollection") {
    std::optional<ApiError> error;
    DeleteOptions options = deleteOptionsFrom(request, q, &error);
    if (error) return respondError(*exchange, *error);
    ListQuery query;
    query.ns = info.ns;
    if (auto e = parseSelectors(kind, q, query)) return respondError(*exchange, *e);
    std::vector<std::pair<std::string, std::string>> keys;
    auto outcome = registry_.list(kind, query, [&](const std::string& text) {
      json object = json::parse(text);
      keys.emplace_back(object["metadata"].value("namespace", ""), object["metadata"].value("name", ""));
    });
    if (outcome.error) return respondError(*exchange, *outcome.error);
    json items = json::array();
    for (const auto& [ns, name] : keys) {
      RegistryResult r = registry_.remove(kind, ns, name, options);
      if (r.ok()) items.push_back(std::move(r.object));
    }
    return respondJson(*exchange, 200,
                       json{{"kind", kind.kind + "List"}, {"apiVersion", kind.apiVersion()},
                            {"metadata", {{"resourceVersion", std::to_string(registry_.store().currentRevision())}}},
                            {"items", items}});
  }
  respondError(*exchange, methodNotAllowed("the server does not allow this method on the requested resource"));
}

}  // namespace minik
