// apiserver/http_connection.h — one accepted TCP connection of HttpServer.
// Internal to apiserver/http_*.cpp.
//
// A connection reads bytes, feeds them to llhttp, and hands each complete
// request to the handler through a ConnectionExchange. It owns ordering
// (requests on a connection are answered strictly one after the other), the
// per-connection timer (idle, request, linger), the output queue bound and
// the close sequence.
//
// Lifetime: allocated by HttpServer on accept, it deletes itself when both
// of its libuv handles have closed, then runs the onClose callbacks of its
// exchanges. Exchanges reach it only through ConnectionLink, whose pointer
// is cleared the moment the connection starts closing, so an exchange kept
// by a handler never touches freed memory.
#pragma once

#include <llhttp.h>
#include <uv.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "apiserver/http_server.h"

namespace minik {

class HttpConnection;
class ConnectionExchange;

// What every connection of one server shares. Held by shared_ptr so closing
// connections can finish after the HttpServer object is gone.
struct HttpConnectionContext {
  uv_loop_t* loop = nullptr;
  HttpLimits limits;
  HttpHandler handler;
  // libuv on Unix calls alloc, read(2) and the read callback back to back
  // for one stream, and every connection consumes or copies what it reads
  // before returning, so one buffer serves all connections.
  char readBuffer[64 * 1024];
  HttpConnection* connections = nullptr;  // intrusive list of live ones
  int connectionCount = 0;
};

// The bond between a connection and the exchanges it created.
struct ConnectionLink {
  HttpConnection* connection = nullptr;  // null once the connection closes
  bool closeNotified = false;
  std::vector<std::function<void()>> closeCallbacks;
};

class HttpConnection {
 public:
  // Creates a connection whose handles are initialised on the context's
  // loop; start() must follow a successful uv_accept into stream().
  explicit HttpConnection(std::shared_ptr<HttpConnectionContext> context);
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  uv_stream_t* stream() { return reinterpret_cast<uv_stream_t*>(&tcp_); }
  void start();
  HttpConnection* nextInList() const { return next_; }
  // Closes at once, dropping unsent output. Safe to call repeatedly.
  void abort();

  // --- for ConnectionExchange -------------------------------------------
  // Queues bytes in order. False when the connection is closing or this
  // write pushed the unsent output past HttpLimits::maxPendingWrite (the
  // connection is then aborted).
  bool send(const uv_buf_t* bufs, unsigned count);
  // The current response began streaming (it has no natural end, so a peer
  // that stops sending is taken to be gone).
  void streamStarted();
  // The current response is complete; the next request may be dispatched.
  void responseEnded(bool keepAlive);

 private:
  enum class Phase {
    kIdle,       // between requests; idle timer runs
    kReceiving,  // a request has begun; request timer runs
    kHandling,   // the handler owns the request until its response ends
    kFinishing,  // output flushing, then half-close and linger; input dropped
    kClosed,     // uv_close called on both handles
  };

  ~HttpConnection() = default;
  static const llhttp_settings_t* parserSettings();
  static HttpConnection* of(llhttp_t* parser);

  bool startReading();
  void onRead(ssize_t nread);
  void onPeerEnd();
  size_t parse(const char* data, size_t size);
  void pump();
  void dispatch();
  void failRequest(int status);
  void finish();
  void armTimer(uint64_t ms);
  void onHandleClosed();

  // llhttp callbacks
  static int onMessageBegin(llhttp_t* parser);
  static int onUrl(llhttp_t* parser, const char* at, size_t length);
  static int onHeaderField(llhttp_t* parser, const char* at, size_t length);
  static int onHeaderFieldComplete(llhttp_t* parser);
  static int onHeaderValue(llhttp_t* parser, const char* at, size_t length);
  static int onHeaderValueComplete(llhttp_t* parser);
  static int onHeadersComplete(llhttp_t* parser);
  static int onBody(llhttp_t* parser, const char* at, size_t length);
  static int onMessageComplete(llhttp_t* parser);
  int countHeadBytes(size_t length);
  int fail(int status);

  std::shared_ptr<HttpConnectionContext> context_;
  HttpConnection* prev_ = nullptr;  // in context_->connections
  HttpConnection* next_ = nullptr;
  uv_tcp_t tcp_;
  uv_timer_t timer_;
  uv_shutdown_t shutdown_;
  int openHandles_ = 0;
  llhttp_t parser_;
  Phase phase_ = Phase::kIdle;

  // Input that arrived while a request was being handled (pipelining). Reading
  // pauses when it passes maxHeaderBytes, so it stays bounded.
  std::string pending_;
  bool readPaused_ = false;
  bool peerEnded_ = false;
  bool parsing_ = false;
  std::string remoteAddress_;

  // The request being received, then handled. Reused across requests so the
  // strings keep their capacity.
  HttpRequest request_;
  std::string target_;
  bool headerNameDone_ = true;
  size_t headBytes_ = 0;
  int failStatus_ = 0;
  bool keepAlive_ = true;

  std::shared_ptr<ConnectionLink> link_;
  std::shared_ptr<ConnectionExchange> current_;
  bool streaming_ = false;
  size_t writesInFlight_ = 0;

  friend struct PendingWrite;
};

}  // namespace minik
