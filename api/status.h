// api/status.h — metav1.Status answers, worded as the Kubernetes API
// server words them, so kubectl prints its usual error lines.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "api/field_error.h"
#include "api/kinds.h"

namespace minik {

struct ApiError {
  int code = 500;
  nlohmann::json status;  // the Status object to send
};

ApiError statusError(int code, const std::string& reason, const std::string& message,
                     nlohmann::json details = nullptr);

// `pods "x" not found`, `deployments.apps "x" not found`.
ApiError notFound(const KindInfo& kind, const std::string& name);
// For a kind given only by resource and group (e.g. namespaces).
ApiError notFound(const std::string& group, const std::string& resource, const std::string& name);
ApiError alreadyExists(const KindInfo& kind, const std::string& name);
// `Operation cannot be fulfilled on pods "x": <message>`.
ApiError conflict(const KindInfo& kind, const std::string& name, const std::string& message);
// `Deployment.apps "x" is invalid: [...]`, with details.causes.
ApiError invalid(const KindInfo& kind, const std::string& name, const FieldErrors& errors);
ApiError badRequest(const std::string& message);
ApiError methodNotAllowed(const std::string& message);
ApiError unsupportedMediaType(const std::string& contentType);
ApiError gone(const std::string& message);
ApiError forbidden(const KindInfo& kind, const std::string& name, const std::string& message);
ApiError internalError(const std::string& message);

// A Status of success, as a delete answers: {"status":"Success","details":{...}}.
nlohmann::json successStatus(const KindInfo& kind, const std::string& name, const std::string& uid);

}  // namespace minik
