// cli/http_client.h — a blocking HTTP/1.1 client for http:// API servers:
// one keep-alive connection reused across requests (reopened once when the
// server closed it while idle), Content-Length and chunked bodies, and a
// streaming mode that hands a chunked body (a watch) over as it arrives.
//
// Not thread-safe; one client per command. TLS is not spoken: an https://
// server is refused by setServer with a clear error.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace minik {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;
  std::string contentType;
  std::string body;
};

class HttpClient {
 public:
  HttpClient() = default;
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // url: "http://host[:port][/prefix]". False with error for other schemes.
  bool setServer(const std::string& url, std::string* error);

  // One request, whole response. False with error ("connection refused",
  // "no such host", ...) when the server could not be reached or the
  // connection broke; an HTTP error status is a successful exchange.
  bool request(const std::string& method, const std::string& target, const HttpHeaders& headers,
               const std::string& body, HttpResponse* response, std::string* error);

  // Like request, but the body goes to onData piece by piece as it arrives
  // (status and contentType are known before the first call). Returns when
  // the body ends, the connection closes or onData returns false (the
  // connection is then dropped).
  bool stream(const std::string& method, const std::string& target, const HttpHeaders& headers,
              const std::function<bool(const std::string&)>& onData, HttpResponse* head,
              std::string* error);

 private:
  bool connectIfNeeded(std::string* error);
  void disconnect();
  bool sendAll(const std::string& data);
  // Fills buffer_ with at least one more byte; false at end of stream.
  bool fill();
  bool readLine(std::string* line);
  bool exchange(const std::string& method, const std::string& target, const HttpHeaders& headers,
                const std::string& body, HttpResponse* head,
                const std::function<bool(const std::string&)>& onData, std::string* error);

  std::string host_;
  std::string port_;
  std::string prefix_;
  int fd_ = -1;
  std::string buffer_;
  std::string readError_;
};

}  // namespace minik
