#include "apiserver/request_info.h"

#include <vector>

namespace minik {

namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) parts.push_back(path.substr(i, j - i));
    i = j;
  }
  return parts;
}

bool isTrue(const QueryParams& q, const char* key) {
  auto it = q.find(key);
  return it != q.end() && (it->second == "1" || it->second == "true");
}

}  // namespace

std::string percentDecode(std::string_view text, bool plusIsSpace) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      int hi = hexValue(text[i + 1]), lo = hexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plusIsSpace && c == '+' ? ' ' : c);
  }
  return out;
}

QueryParams parseQuery(std::string_view rawQuery) {
  QueryParams params;
  size_t i = 0;
  while (i <= rawQuery.size()) {
    size_t amp = rawQuery.find('&', i);
    if (amp == std::string_view::npos) amp = rawQuery.size();
    std::string_view pair = rawQuery.substr(i, amp - i);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string key = percentDecode(pair.substr(0, eq), true);
      std::string value = eq == std::string_view::npos ? "" : percentDecode(pair.substr(eq + 1), true);
      params[key] = value;
    }
    i = amp + 1;
  }
  return params;
}

RequestInfo parseRequestInfo(const std::string& method, const std::string& path,
                             const QueryParams& query) {
  RequestInfo info;
  std::vector<std::string> parts = splitPath(path);
  size_t i = 0;
  if (parts.size() >= 2 && parts[0] == "api") {
    info.version = parts[1];
    i = 2;
  } else if (parts.size() >= 3 && parts[0] == "apis") {
    info.group = parts[1];
    info.version = parts[2];
    i = 3;
  } else {
    return info;
  }
  if (i >= parts.size()) return info;  // discovery of a group version

  bool watchPrefix = false;
  if (parts[i] == "watch") {
    watchPrefix = true;
    ++i;
  }
  // namespaces/{ns}/{resource}/...; but namespaces/{name}[/status|/finalize]
  // addresses the Namespace object itself (as Kubernetes' RequestInfoFactory).
  if (parts[i] == "namespaces" && i + 2 < parts.size() && parts[i + 2] != "status" &&
      parts[i + 2] != "finalize") {
    info.ns = parts[i + 1];
    i += 2;
  }
  if (i >= parts.size()) return info;
  info.isResourceRequest = true;
  info.resource = parts[i++];
  if (i < parts.size()) info.name = parts[i++];
  if (i < parts.size()) info.subresource = parts[i++];
  if (i < parts.size()) {
    info.isResourceRequest = false;  // deeper paths are not served
    return info;
  }
  const bool collection = info.name.empty();
  if (method == "GET" || method == "HEAD") {
    if (watchPrefix || isTrue(query, "watch")) {
      info.verb = "watch";
    } else {
      info.verb = collection ? "list" : "get";
    }
  } else if (method == "POST") {
    info.verb = "create";
  } else if (method == "PUT") {
    info.verb = "update";
  } else if (method == "PATCH") {
    info.verb = "patch";
  } else if (method == "DELETE") {
    info.verb = collection ? "deletecollection" : "delete";
  }
  return info;
}

}  // namespace minik
