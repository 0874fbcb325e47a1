// apiserver/request_info.h — what a Kubernetes REST path and query ask for.
//
// Paths understood:
//   /api/v1/{resource}[/{name}[/{subresource}]]
//   /api/v1/namespaces/{ns}/{resource}[/{name}[/{subresource}]]
//   /apis/{group}/{version}/... (the same shapes)
// plus the legacy ?watch=true form and the /api/v1/watch/... prefix.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace minik {

struct RequestInfo {
  bool isResourceRequest = false;  // false for /healthz, /version, discovery...
  std::string group;               // "" for core
  std::string version;
  std::string ns;
  std::string resource;
  std::string name;
  std::string subresource;
  // Kubernetes verb: get, list, watch, create, update, patch, delete,
  // deletecollection.
  std::string verb;
};

// Percent-decoded query parameters; the last value wins for repeated keys.
using QueryParams = std::map<std::string, std::string>;

QueryParams parseQuery(std::string_view rawQuery);
std::string percentDecode(std::string_view text, bool plusIsSpace);

RequestInfo parseRequestInfo(const std::string& method, const std::string& path,
                             const QueryParams& query);

}  // namespace minik
