// apiserver/discovery.h — the documents clients read before they act:
// /api, /apis, /api/v1, /apis/{group}/{version}, /version, and the OpenAPI v3
// index and per-group-version documents.
//
// The OpenAPI documents carry only what clients need from them: kubectl reads
// them to learn that the server validates fields itself (the fieldValidation
// parameter on PATCH) and to find the kind of each path; with no schemas it
// falls back to its compiled-in types for strategic merge patches.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace minik {

nlohmann::json apiVersions(const std::string& serverAddress);  // GET /api
nlohmann::json apiGroupList();                                  // GET /apis
// GET /api/v1 or /apis/{group}/{version}; null when the group version is not served.
nlohmann::json apiResourceList(const std::string& group, const std::string& version);
nlohmann::json versionInfo();                                   // GET /version

nlohmann::json openApiV3Index();  // GET /openapi/v3
// GET /openapi/v3/api/v1, /openapi/v3/apis/{group}/{version}; null when not served.
nlohmann::json openApiV3Document(const std::string& group, const std::string& version);

// The Kubernetes version minik answers with, e.g. "v1.31.0".
extern const char* const kKubernetesVersion;

}  // namespace minik
