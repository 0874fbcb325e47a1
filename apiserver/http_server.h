// apiserver/http_server.h — HTTP/1.1 on libuv with llhttp parsing.
//
// What it offers: a listener that parses requests and hands each complete one
// to a handler, with keep-alive, in-order responses (pipelining-safe: the next
// request on a connection is not dispatched before the previous response
// ended), plain and chunked (streaming) responses.
//
// Invariants:
//  - Everything runs on the loop thread given to the constructor.
//  - Memory per connection is bounded: request head and body sizes are
//    capped (431 / 413 answered), and a connection whose unsent output passes
//    HttpLimits::maxPendingWrite is closed (a slow watcher cannot grow memory).
//  - Idle keep-alive connections and requests that do not complete within
//    HttpLimits::requestTimeoutMs are closed, so half-open or slow clients
//    cannot pin resources or stall others.
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace minik {

struct HttpRequest {
  std::string method;    // "GET", "POST", ...
  std::string path;      // decoded path, without the query
  std::string rawQuery;  // after '?', still percent-encoded
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased
  std::string body;
  std::string remoteAddress;  // peer IP

  // First value of the header (name lowercase), or "".
  const std::string& header(std::string_view name) const;
};

// The reply side of one request. Exactly one of respond() or
// beginStream()..endStream() is used. Safe to keep after the connection
// closed: calls then do nothing and closed() is true.
class HttpExchange {
 public:
  virtual ~HttpExchange() = default;
  // A complete response with Content-Length.
  virtual void respond(int status, std::string_view contentType, std::string_view body,
                       const std::vector<std::pair<std::string, std::string>>& extraHeaders = {}) = 0;
  // A chunked response; write() sends one chunk (flushed promptly).
  virtual void beginStream(int status, std::string_view contentType) = 0;
  // Returns false when the connection is gone or overloaded (and is closing).
  virtual bool write(std::string_view chunk) = 0;
  virtual void endStream() = 0;
  virtual bool closed() const = 0;
  // Called once when the connection closes before or after the response ended.
  // It runs from the loop after the close, never from inside another call on
  // this exchange; registered on an exchange already closed, it runs at once.
  // A client that sends EOF during a stream counts as closed; during a plain
  // response it is taken as a half-close and still gets the answer.
  virtual void onClose(std::function<void()> callback) = 0;
};

// The request stays valid until its response ended or the connection closed;
// a handler answering later must copy what it needs past that.
using HttpHandler = std::function<void(const HttpRequest&, std::shared_ptr<HttpExchange>)>;

struct HttpLimits {
  size_t maxHeaderBytes = 64 * 1024;
  size_t maxBodyBytes = 3 * 1024 * 1024;  // Kubernetes' default request size limit
  size_t maxPendingWrite = 16 * 1024 * 1024;
  // Timeouts: 0 disables one.
  uint64_t requestTimeoutMs = 60 * 1000;  // from first byte to complete request
  uint64_t idleTimeoutMs = 120 * 1000;    // keep-alive with no request
  int maxConnections = 1024;
};

class HttpServer {
 public:
  HttpServer(uv_loop_t* loop, HttpLimits limits, HttpHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens. Returns false and sets error on failure.
  bool listen(const std::string& host, int port, std::string* error);
  // The bound port (useful when listening on port 0).
  int port() const;
  // Stops listening and closes every connection. As with any libuv handle,
  // the memory is released by close callbacks: run the loop (uv_run until it
  // returns) before uv_loop_close. The destructor calls close(); destroying
  // the server before that run is safe.
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace minik
