#include "api/status.h"

namespace minik {

namespace {

// "pods", "deployments.apps": how Kubernetes names a resource in messages.
std::string qualifiedResource(const std::string& group, const std::string& resource) {
  return group.empty() ? resource : resource + "." + group;
}

nlohmann::json nameDetails(const std::string& group, const std::string& kind, const std::string& name) {
  nlohmann::json details = nlohmann::json::object();
  if (!name.empty()) details["name"] = name;
  if (!group.empty()) details["group"] = group;
  details["kind"] = kind;
  return details;
}

}  // namespace

ApiError statusError(int code, const std::string& reason, const std::string& message,
                     nlohmann::json details) {
  ApiError error;
  error.code = code;
  error.status = {{"kind", "Status"},   {"apiVersion", "v1"}, {"metadata", nlohmann::json::object()},
                  {"status", "Failure"}, {"message", message}, {"reason", reason}};
  if (!details.is_null()) error.status["details"] = std::move(details);
  error.status["code"] = code;
  return error;
}

ApiError notFound(const std::string& group, const std::string& resource, const std::string& name) {
  return statusError(404, "NotFound",
                     qualifiedResource(group, resource) + " \"" + name + "\" not found",
                     nameDetails(group, resource, name));
}

ApiError notFound(const KindInfo& kind, const std::string& name) {
  return notFound(kind.group, kind.resource, name);
}

ApiError alreadyExists(const KindInfo& kind, const std::string& name) {
  return statusError(409, "AlreadyExists",
                     qualifiedResource(kind.group, kind.resource) + " \"" + name + "\" already exists",
                     nameDetails(kind.group, kind.resource, name));
}

ApiError conflict(const KindInfo& kind, const std::string& name, const std::string& message) {
  return statusError(409, "Conflict",
                     "Operation cannot be fulfilled on " + qualifiedResource(kind.group, kind.resource) +
                         " \"" + name + "\": " + message,
                     nameDetails(kind.group, kind.resource, name));
}

ApiError invalid(const KindInfo& kind, const std::string& name, const FieldErrors& errors) {
  std::string list;
  nlohmann::json causes = nlohmann::json::array();
  for (const auto& e : errors) {
    if (!list.empty()) list += ", ";
    list += describe(e);
    // The cause's message is the error without its field path, as field.Error.ErrorBody().
    causes.push_back({{"reason", e.reason}, {"message", e.message}, {"field", e.field}});
  }
  std::string message = qualifiedResource(kind.group, kind.kind) + " \"" + name + "\" is invalid: " +
                        (errors.size() == 1 ? list : "[" + list + "]");
  nlohmann::json details = nameDetails(kind.group, kind.kind, name);
  details["causes"] = std::move(causes);
  return statusError(422, "Invalid", message, std::move(details));
}

ApiError badRequest(const std::string& message) { return statusError(400, "BadRequest", message); }

ApiError methodNotAllowed(const std::string& message) {
  return statusError(405, "MethodNotAllowed", message);
}

ApiError unsupportedMediaType(const std::string& contentType) {
  return statusError(415, "UnsupportedMediaType",
                     "the body of the request was in an unknown format - accepted media types include: "
                     "application/json-patch+json, application/merge-patch+json, "
                     "application/strategic-merge-patch+json",
                     nlohmann::json{{"causes", {{{"reason", "UnsupportedMediaType"}, {"message", contentType}}}}});
}

ApiError gone(const std::string& message) { return statusError(410, "Expired", message); }

ApiError forbidden(const KindInfo& kind, const std::string& name, const std::string& message) {
  return statusError(403, "Forbidden",
                     qualifiedResource(kind.group, kind.resource) + " \"" + name +
                         "\" is forbidden: " + message,
                     nameDetails(kind.group, kind.resource, name));
}

ApiError internalError(const std::string& message) {
  return statusError(500, "InternalError", "Internal error occurred: " + message);
}

nlohmann::json successStatus(const KindInfo& kind, const std::string& name, const std::string& uid) {
  nlohmann::json details = nameDetails(kind.group, kind.resource, name);
  if (!uid.empty()) details["uid"] = uid;
  return {{"kind", "Status"},    {"apiVersion", "v1"}, {"metadata", nlohmann::json::object()},
          {"status", "Success"}, {"details", details}};
}

}  // namespace minik
