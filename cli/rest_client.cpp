#include "cli/rest_client.h"

#include <cctype>

#include "cli/go_json.h"

namespace minik {

using json = nlohmann::json;

const char* const kTableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

bool RestClient::open(const std::string& server, const std::string& kubeconfigPath, std::string* error) {
  server_ = server;
  kubeconfigPath_ = kubeconfigPath;
  return http_.setServer(server, error);
}

void RestClient::unreachable(const std::string& why) const {
  std::string check = kubeconfigPath_.empty() ? "check --kubeconfig/KUBECONFIG"
                                              : "check --kubeconfig/KUBECONFIG (using " + kubeconfigPath_ + ")";
  throw ServerUnreachable("cannot reach the minik API at " + server_ + " (" + why +
                          "): is 'minik server' running? " + check);
}

namespace {

json decodeBody(const std::string& text) {
  if (text.empty()) return nullptr;
  json body = json::parse(text, nullptr, false);
  if (body.is_discarded()) return text;
  return body;
}

}  // namespace

ApiResponse RestClient::call(const std::string& method, const std::string& path, const HttpHeaders& headers,
                             const std::string& body) {
  HttpResponse response;
  std::string error;
  if (!http_.request(method, path, headers, body, &response, &error)) unreachable(error);
  return {response.status, decodeBody(response.body)};
}

ApiResponse RestClient::get(const std::string& path, const std::string& accept) {
  return call("GET", path, {{"Accept", accept}}, "");
}

ApiResponse RestClient::send(const std::string& method, const std::string& path, const json& body,
                             const std::string& contentType) {
  return call(method, path, {{"Accept", "application/json"}, {"Content-Type", contentType}},
              body.is_null() ? "" : goJsonCompact(body));
}

ApiResponse RestClient::watch(const std::string& path, const std::string& accept,
                              const std::function<bool(const json&)>& onEvent) {
  HttpResponse head;
  std::string error, pending, errorBody;
  bool ok = http_.stream(
      "GET", path, {{"Accept", accept}},
      [&](const std::string& data) {
        if (head.status != 200) {
          errorBody += data;
          return true;
        }
        pending += data;
        size_t eol;
        while ((eol = pending.find('\n')) != std::string::npos) {
          std::string line = pending.substr(0, eol);
          pending.erase(0, eol + 1);
          if (line.empty()) continue;
          json event = json::parse(line, nullptr, false);
          if (event.is_discarded()) continue;
          if (!onEvent(event)) return false;
        }
        return true;
      },
      &head, &error);
  if (!ok) unreachable(error);
  return {head.status, decodeBody(errorBody)};
}

std::string queryEscape(const std::string& value) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string apiErrorReason(const ApiResponse& response) {
  if (response.body.is_object()) {
    std::string reason = response.body.value("reason", "");
    if (!reason.empty()) return reason;
  }
  switch (response.status) {
    case 400: return "BadRequest";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "NotFound";
    case 405: return "MethodNotAllowed";
    case 409: return "Conflict";
    case 410: return "Expired";
    case 415: return "UnsupportedMediaType";
    case 422: return "Invalid";
    case 429: return "TooManyRequests";
    case 500: return "InternalError";
    case 503: return "ServiceUnavailable";
    case 504: return "Timeout";
    default: return "";
  }
}

namespace {

// The message client-go makes up when the body is not a Status.
std::string messageForCode(int code, const json& body) {
  switch (code) {
    case 404: return "the server could not find the requested resource";
    case 405: return "the server does not allow this method on the requested resource";
    case 409: return "the server reported a conflict";
    case 500: return "an error on the server (\"" + (body.is_string() ? body.get<std::string>() : "") +
                     "\") has prevented the request from succeeding";
    default:
      return "the server responded with the status code " + std::to_string(code) +
             " but did not return more information";
  }
}

}  // namespace

std::string apiErrorMessage(const ApiResponse& response, const std::string& context) {
  const json& body = response.body;
  bool isStatus = body.is_object() && body.value("kind", "") == "Status";
  std::string reason = apiErrorReason(response);
  if (isStatus && reason == "Invalid" && body.contains("details") && body["details"].is_object()) {
    const json& details = body["details"];
    std::string kind = details.value("kind", "");
    std::string name = details.value("name", "");
    std::string head = kind.empty() && name.empty() ? "The request is invalid"
                                                    : "The " + kind + " \"" + name + "\" is invalid";
    std::vector<std::string> causes;
    if (details.contains("causes") && details["causes"].is_array()) {
      for (const auto& cause : details["causes"]) {
        std::string field = cause.value("field", "");
        std::string message = cause.value("message", "");
        causes.push_back(field.empty() ? message : field + ": " + message);
      }
    }
    if (causes.empty()) return head;
    if (causes.size() == 1) return head + ": " + causes[0];
    std::string text = head + ": ";
    for (const auto& c : causes) text += "\n* " + c;
    return text;
  }
  std::string message = isStatus ? body.value("message", "") : messageForCode(response.status, body);
  message = context + message;
  if (reason == "Unauthorized") return "error: You must be logged in to the server (" + message + ")";
  if (!reason.empty()) return "Error from server (" + reason + "): " + message;
  return "Error from server: " + message;
}

}  // namespace minik
