// apiserver/http_connection.cpp — see http_connection.h.
//
// Ordering: on_message_complete dispatches the request and returns
// HPE_PAUSED, so llhttp stops right after that request. Bytes already read
// past it wait in pending_ and are parsed only after the response ended;
// this is what keeps pipelined responses in order and lets the handler
// answer asynchronously.
#include "apiserver/http_connection.h"

#include <cstring>

#include "apiserver/http_exchange.h"
#include "apiserver/http_wire.h"

namespace minik {

namespace {

// After the last response of a closing connection is flushed and our side
// half-closed, input is drained for this long so the kernel does not answer
// unread bytes with a reset that would destroy that response.
constexpr uint64_t kLingerMs = 1000;

constexpr const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string peerAddressOf(uv_tcp_t* tcp) {
  sockaddr_storage address{};
  int length = sizeof address;
  if (uv_tcp_getpeername(tcp, reinterpret_cast<sockaddr*>(&address), &length) != 0) return "";
  char text[INET6_ADDRSTRLEN] = "";
  if (address.ss_family == AF_INET) {
    uv_ip4_name(reinterpret_cast<sockaddr_in*>(&address), text, sizeof text);
  } else if (address.ss_family == AF_INET6) {
    uv_ip6_name(reinterpret_cast<sockaddr_in6*>(&address), text, sizeof text);
  }
  return text;
}

}  // namespace

// Output the socket did not take at once; freed when libuv is done with it.
struct PendingWrite {
  uv_write_t request;
  HttpConnection* connection;
  std::string bytes;

  static void onWritten(uv_write_t* request, int status) {
    auto* write = reinterpret_cast<PendingWrite*>(request);
    HttpConnection* connection = write->connection;
    delete write;
    --connection->writesInFlight_;
    if (connection->phase_ == HttpConnection::Phase::kClosed) return;
    if (status < 0) {
      connection->abort();
      return;
    }
    // A slow reader still taking a response is not idle.
    if (connection->phase_ == HttpConnection::Phase::kIdle) {
      connection->armTimer(connection->context_->limits.idleTimeoutMs);
    }
  }
};

HttpConnection::HttpConnection(std::shared_ptr<HttpConnectionContext> context)
    : context_(std::move(context)), link_(std::make_shared<ConnectionLink>()) {
  link_->connection = this;
  uv_tcp_init(context_->loop, &tcp_);
  uv_timer_init(context_->loop, &timer_);
  tcp_.data = this;
  timer_.data = this;
  openHandles_ = 2;
  llhttp_init(&parser_, HTTP_REQUEST, parserSettings());
  parser_.data = this;

  next_ = context_->connections;
  if (next_ != nullptr) next_->prev_ = this;
  context_->connections = this;
  ++context_->connectionCount;
}

const llhttp_settings_t* HttpConnection::parserSettings() {
  static const llhttp_settings_t settings = [] {
    llhttp_settings_t s;
    llhttp_settings_init(&s);
    s.on_message_begin = &HttpConnection::onMessageBegin;
    s.on_url = &HttpConnection::onUrl;
    s.on_header_field = &HttpConnection::onHeaderField;
    s.on_header_field_complete = &HttpConnection::onHeaderFieldComplete;
    s.on_header_value = &HttpConnection::onHeaderValue;
    s.on_header_value_complete = &HttpConnection::onHeaderValueComplete;
    s.on_headers_complete = &HttpConnection::onHeadersComplete;
    s.on_body = &HttpConnection::onBody;
    s.on_message_complete = &HttpConnection::onMessageComplete;
    return s;
  }();
  return &settings;
}

HttpConnection* HttpConnection::of(llhttp_t* parser) {
  return static_cast<HttpConnection*>(parser->data);
}

void HttpConnection::start() {
  remoteAddress_ = peerAddressOf(&tcp_);
  // Small responses and watch events should leave at once, not after Nagle.
  uv_tcp_nodelay(&tcp_, 1);
  if (!startReading()) return;
  armTimer(context_->limits.idleTimeoutMs);
}

bool HttpConnection::startReading() {
  readPaused_ = false;
  int status = uv_read_start(
      stream(),
      [](uv_handle_t* handle, size_t, uv_buf_t* buf) {
        auto* self = static_cast<HttpConnection*>(handle->data);
        *buf = uv_buf_init(self->context_->readBuffer, sizeof self->context_->readBuffer);
      },
      [](uv_stream_t* stream, ssize_t nread, const uv_buf_t*) {
        static_cast<HttpConnection*>(stream->data)->onRead(nread);
      });
  if (status != 0) {
    abort();
    return false;
  }
  return true;
}

// --- input --------------------------------------------------------------

void HttpConnection::onRead(ssize_t nread) {
  if (nread == 0 || phase_ == Phase::kClosed) return;
  if (nread < 0) {
    if (nread == UV_EOF) {
      onPeerEnd();
    } else {
      abort();
    }
    return;
  }
  const char* data = context_->readBuffer;
  size_t size = static_cast<size_t>(nread);
  if (phase_ == Phase::kFinishing) return;  // draining: nothing more is served

  if (phase_ == Phase::kHandling || !pending_.empty()) {
    pending_.append(data, size);
    if (pending_.size() > context_->limits.maxHeaderBytes && !readPaused_) {
      uv_read_stop(stream());
      readPaused_ = true;
    }
    pump();
    return;
  }
  size_t used = parse(data, size);
  if (used < size && phase_ != Phase::kFinishing && phase_ != Phase::kClosed) {
    pending_.append(data + used, size - used);
  }
  pump();
}

void HttpConnection::onPeerEnd() {
  peerEnded_ = true;
  switch (phase_) {
    case Phase::kHandling:
      if (streaming_) {
        // Nobody will read the stream: let the handler know now (watches).
        abort();
      } else {
        // A half-closing client may still read the answer; close after it.
        uv_read_stop(stream());
      }
      return;
    case Phase::kFinishing:
    case Phase::kIdle:
    case Phase::kReceiving:  // an incomplete request will never complete
      abort();
      return;
    case Phase::kClosed:
      return;
  }
}

size_t HttpConnection::parse(const char* data, size_t size) {
  if (llhttp_get_errno(&parser_) == HPE_PAUSED) llhttp_resume(&parser_);
  parsing_ = true;
  llhttp_errno_t error = llhttp_execute(&parser_, data, size);
  parsing_ = false;
  if (phase_ == Phase::kFinishing || phase_ == Phase::kClosed) return size;
  if (error == HPE_OK) return size;
  if (error == HPE_PAUSED || error == HPE_PAUSED_UPGRADE) {
    return static_cast<size_t>(llhttp_get_error_pos(&parser_) - data);
  }
  failRequest(failStatus_ != 0 ? failStatus_ : 400);
  return size;
}

// Parses input that waited while a request was handled, one request at a
// time, until a handler keeps its request or the input runs out.
void HttpConnection::pump() {
  if (parsing_) return;  // a handler answered from inside llhttp_execute
  while (!pending_.empty() && (phase_ == Phase::kIdle || phase_ == Phase::kReceiving)) {
    size_t used = parse(pending_.data(), pending_.size());
    if (phase_ == Phase::kFinishing || phase_ == Phase::kClosed) {
      pending_.clear();
      break;
    }
    pending_.erase(0, used);
  }
  if (pending_.empty() && pending_.capacity() > sizeof context_->readBuffer) {
    std::string().swap(pending_);  // give back what a burst of pipelining took
  }
  if (readPaused_ && !peerEnded_ && pending_.size() <= context_->limits.maxHeaderBytes &&
      phase_ != Phase::kClosed) {
    startReading();
  }
}

// --- llhttp callbacks -----------------------------------------------------

int HttpConnection::fail(int status) {
  failStatus_ = status;
  llhttp_set_error_reason(&parser_, "request refused");
  return HPE_USER;
}

int HttpConnection::countHeadBytes(size_t length) {
  headBytes_ += length;
  return headBytes_ > context_->limits.maxHeaderBytes ? fail(431) : 0;
}

int HttpConnection::onMessageBegin(llhttp_t* parser) {
  HttpConnection* self = of(parser);
  self->phase_ = Phase::kReceiving;
  self->armTimer(self->context_->limits.requestTimeoutMs);
  HttpRequest& request = self->request_;
  request.headers.clear();
  request.path.clear();
  request.rawQuery.clear();
  // Keep small bodies' capacity for the next request; do not let one large
  // upload pin megabytes on an idle keep-alive connection.
  if (request.body.capacity() > sizeof self->context_->readBuffer) {
    std::string().swap(request.body);
  } else {
    request.body.clear();
  }
  self->target_.clear();
  self->headerNameDone_ = true;
  self->headBytes_ = 0;
  self->failStatus_ = 0;
  return 0;
}

int HttpConnection::onUrl(llhttp_t* parser, const char* at, size_t length) {
  HttpConnection* self = of(parser);
  self->target_.append(at, length);
  return self->countHeadBytes(length);
}

int HttpConnection::onHeaderField(llhttp_t* parser, const char* at, size_t length) {
  HttpConnection* self = of(parser);
  auto& headers = self->request_.headers;
  if (self->headerNameDone_) {
    headers.emplace_back();
    self->headerNameDone_ = false;
  }
  headers.back().first.append(at, length);
  // ": " and CRLF count too, so many empty headers still add up.
  return self->countHeadBytes(length + 4);
}

int HttpConnection::onHeaderFieldComplete(llhttp_t* parser) {
  HttpConnection* self = of(parser);
  if (self->headerNameDone_) self->request_.headers.emplace_back();  // empty name
  self->headerNameDone_ = true;
  http_wire::toLowerAscii(&self->request_.headers.back().first);
  return 0;
}

int HttpConnection::onHeaderValue(llhttp_t* parser, const char* at, size_t length) {
  HttpConnection* self = of(parser);
  self->request_.headers.back().second.append(at, length);
  return self->countHeadBytes(length);
}

int HttpConnection::onHeaderValueComplete(llhttp_t* parser) {
  std::string& value = of(parser)->request_.headers.back().second;
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
  return 0;
}

int HttpConnection::onHeadersComplete(llhttp_t* parser) {
  HttpConnection* self = of(parser);
  const HttpLimits& limits = self->context_->limits;
  HttpRequest& request = self->request_;
  if (!http_wire::splitTarget(self->target_, &request.path, &request.rawQuery)) {
    return self->fail(400);
  }
  request.method = llhttp_method_name(static_cast<llhttp_method_t>(parser->method));
  request.remoteAddress = self->remoteAddress_;
  // After an upgrade the bytes are another protocol, which is not served.
  self->keepAlive_ = llhttp_should_keep_alive(parser) != 0 && parser->upgrade == 0;

  bool hasBody = (parser->flags & F_CHUNKED) != 0 || parser->content_length > 0;
  if ((parser->flags & F_CONTENT_LENGTH) != 0 && parser->content_length > limits.maxBodyBytes) {
    return self->fail(413);
  }
  if (hasBody && parser->http_major == 1 && parser->http_minor >= 1 &&
      equalsIgnoreCase(request.header("expect"), "100-continue")) {
    uv_buf_t buf = uv_buf_init(const_cast<char*>(kContinue), sizeof kContinue - 1);
    if (!self->send(&buf, 1)) return self->fail(400);
  }
  return 0;
}

int HttpConnection::onBody(llhttp_t* parser, const char* at, size_t length) {
  HttpConnection* self = of(parser);
  std::string& body = self->request_.body;
  if (body.size() + length > self->context_->limits.maxBodyBytes) return self->fail(413);
  if (body.empty() && parser->content_length > 0 && (parser->flags & F_CONTENT_LENGTH) != 0) {
    body.reserve(length + parser->content_length);  // content_length counts down
  }
  body.append(at, length);
  return 0;
}

int HttpConnection::onMessageComplete(llhttp_t* parser) {
  of(parser)->dispatch();
  // Stop here whatever the handler did: the next request (if any) is parsed
  // by pump() once this one's response ended.
  return HPE_PAUSED;
}

// --- dispatch and responses -------------------------------------------------

void HttpConnection::dispatch() {
  phase_ = Phase::kHandling;
  uv_timer_stop(&timer_);
  streaming_ = false;
  ConnectionExchange::RequestFacts facts;
  facts.head = parser_.method == HTTP_HEAD;
  facts.http10 = parser_.http_major == 1 && parser_.http_minor == 0;
  facts.keepAlive = keepAlive_;
  auto exchange = std::make_shared<ConnectionExchange>(link_, facts);
  current_ = exchange;
  try {
    if (context_->handler) context_->handler(request_, exchange);
  } catch (...) {
    // A throwing handler must not leave the client waiting forever.
    exchange->respond(500, "text/plain; charset=utf-8", "Internal Server Error", {});
    return;
  }
  if (!context_->handler) exchange->respond(404, "text/plain; charset=utf-8", "404 page not found", {});
}

bool HttpConnection::send(const uv_buf_t* bufs, unsigned count) {
  if (phase_ == Phase::kClosed || phase_ == Phase::kFinishing) return false;
  size_t total = 0;
  for (unsigned i = 0; i < count; ++i) total += bufs[i].len;
  if (total == 0) return true;

  size_t written = 0;
  if (writesInFlight_ == 0) {
    int result = uv_try_write(stream(), bufs, count);
    if (result < 0 && result != UV_EAGAIN) {
      abort();
      return false;
    }
    if (result > 0) written = static_cast<size_t>(result);
    if (written == total) return true;
  }

  auto* write = new PendingWrite;
  write->connection = this;
  write->bytes.reserve(total - written);
  size_t skip = written;
  for (unsigned i = 0; i < count; ++i) {
    size_t length = bufs[i].len;
    if (skip >= length) {
      skip -= length;
      continue;
    }
    write->bytes.append(bufs[i].base + skip, length - skip);
    skip = 0;
  }
  uv_buf_t buf = uv_buf_init(write->bytes.data(), static_cast<unsigned>(write->bytes.size()));
  if (uv_write(&write->request, stream(), &buf, 1, &PendingWrite::onWritten) != 0) {
    delete write;
    abort();
    return false;
  }
  ++writesInFlight_;
  if (uv_stream_get_write_queue_size(stream()) > context_->limits.maxPendingWrite) {
    abort();  // a reader this slow would make us buffer without bound
    return false;
  }
  return true;
}

void HttpConnection::streamStarted() {
  streaming_ = true;
  if (peerEnded_) abort();  // the peer already left: nothing will read it
}

void HttpConnection::responseEnded(bool keepAlive) {
  if (phase_ != Phase::kHandling) return;
  current_.reset();
  streaming_ = false;
  if (!keepAlive) {
    finish();
    return;
  }
  phase_ = Phase::kIdle;
  armTimer(context_->limits.idleTimeoutMs);
  pump();
  // A peer that half-closed gets answers to what it already sent, no more.
  if (peerEnded_ && (phase_ == Phase::kIdle || phase_ == Phase::kReceiving)) finish();
}

void HttpConnection::failRequest(int status) {
  std::string response;
  switch (status) {
    case 413: response = http_wire::bodyTooLargeResponse(context_->limits.maxBodyBytes); break;
    case 431: response = http_wire::headerTooLargeResponse(); break;
    default: response = http_wire::badRequestResponse(); break;
  }
  uv_buf_t buf = uv_buf_init(response.data(), static_cast<unsigned>(response.size()));
  if (!send(&buf, 1)) return;
  finish();
}

// --- closing ----------------------------------------------------------------

// Flushes what is queued, half-closes, then drains input (without keeping
// it) until the peer closes or the linger time passes.
void HttpConnection::finish() {
  if (phase_ == Phase::kFinishing || phase_ == Phase::kClosed) return;
  phase_ = Phase::kFinishing;
  if (!parsing_) pending_.clear();  // else llhttp is reading it; pump() clears it
  int status = uv_shutdown(&shutdown_, stream(), [](uv_shutdown_t* request, int status) {
    auto* self = static_cast<HttpConnection*>(request->handle->data);
    if (self->phase_ == Phase::kClosed) return;
    if (status < 0 || self->peerEnded_) {
      self->abort();
      return;
    }
    self->armTimer(kLingerMs);
  });
  if (status != 0) {
    abort();
    return;
  }
  // The flush itself may take a while for a slow reader; bound it.
  armTimer(context_->limits.idleTimeoutMs);
  if (readPaused_ && !peerEnded_) startReading();  // to drain
}

void HttpConnection::armTimer(uint64_t ms) {
  if (phase_ == Phase::kClosed) return;
  if (ms == 0) {  // 0 disables the timeout
    uv_timer_stop(&timer_);
    return;
  }
  uv_timer_start(
      &timer_, [](uv_timer_t* timer) { static_cast<HttpConnection*>(timer->data)->abort(); },
      ms, 0);
}

void HttpConnection::abort() {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  link_->connection = nullptr;  // exchanges see closed() from now on
  if (!parsing_) pending_.clear();  // else llhttp is reading it; pump() clears it
  uv_timer_stop(&timer_);
  uv_read_stop(stream());
  auto onClosed = [](uv_handle_t* handle) {
    static_cast<HttpConnection*>(handle->data)->onHandleClosed();
  };
  uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), onClosed);
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_), onClosed);
}

void HttpConnection::onHandleClosed() {
  if (--openHandles_ > 0) return;
  if (prev_ != nullptr) {
    prev_->next_ = next_;
  } else {
    context_->connections = next_;
  }
  if (next_ != nullptr) next_->prev_ = prev_;
  --context_->connectionCount;

  // Callbacks run after the connection is gone, so whatever they do (even
  // closing the server) cannot reach a half-destroyed connection.
  std::shared_ptr<ConnectionLink> link = std::move(link_);
  std::shared_ptr<ConnectionExchange> current = std::move(current_);
  delete this;
  link->closeNotified = true;
  std::vector<std::function<void()>> callbacks;
  callbacks.swap(link->closeCallbacks);
  for (auto& callback : callbacks) callback();
}

}  // namespace minik
