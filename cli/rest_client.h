// cli/rest_client.h — JSON requests to the Kubernetes REST API over one
// HttpClient, and the one-line messages kubectl prints for failed calls.
//
// Contract: a server that cannot be reached is not an answer: every call
// throws ServerUnreachable, whose what() is the single line the CLI prints
// (naming the address and what to check), so a command never piles up one
// error per object. Any HTTP answer, error statuses included, is returned.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/http_client.h"

namespace minik {

struct ApiResponse {
  int status = 0;
  nlohmann::json body;  // the decoded JSON, or the raw text as a string
  bool ok() const { return status >= 200 && status < 300; }
};

class ServerUnreachable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

extern const char* const kTableAccept;  // as=Table;v=v1;g=meta.k8s.io

class RestClient {
 public:
  // server: the URL from the kubeconfig; kubeconfigPath is named in the
  // unreachable message. False with error for an unusable URL.
  bool open(const std::string& server, const std::string& kubeconfigPath, std::string* error);

  ApiResponse get(const std::string& path, const std::string& accept = "application/json");
  ApiResponse send(const std::string& method, const std::string& path, const nlohmann::json& body,
                   const std::string& contentType = "application/json");

  // GETs a watch and calls onEvent for each {"type","object"} line until the
  // server ends the stream or onEvent returns false. Returns the response
  // (its body holds the Status when the watch was refused).
  ApiResponse watch(const std::string& path, const std::string& accept,
                    const std::function<bool(const nlohmann::json&)>& onEvent);

  const std::string& server() const { return server_; }

 private:
  ApiResponse call(const std::string& method, const std::string& path, const HttpHeaders& headers,
                   const std::string& body);
  [[noreturn]] void unreachable(const std::string& why) const;

  HttpClient http_;
  std::string server_;
  std::string kubeconfigPath_;
};

// A query parameter value, percent-encoded as Go's url.QueryEscape does.
std::string queryEscape(const std::string& value);

// kubectl's line for a failed call: `Error from server (NotFound): pods "x"
// not found`, or for 422 `The Deployment "x" is invalid: ...` (one cause on
// the line, several as `* field: message` bullets). context, when not empty,
// is put before the server's message as kubectl does for file operations:
// `error when creating "app.yaml": `.
std::string apiErrorMessage(const ApiResponse& response, const std::string& context = "");

// The Status reason of a failed call ("NotFound"), derived from the HTTP code
// when the body is not a Status.
std::string apiErrorReason(const ApiResponse& response);

}  // namespace minik
