// apiserver/http_server.cpp — the listener: binds, accepts, enforces
// maxConnections and closes everything on close(). Connections live in
// http_connection.cpp, response framing in http_exchange.cpp.
//
// Teardown: close() (and the destructor) call uv_close on the listener and
// on every connection; like any libuv handle they are freed by their close
// callbacks, so the loop must run once more (uv_run until it returns) before
// uv_loop_close. The state those callbacks need is shared with the
// connections, so destroying the HttpServer before that run is safe.
#include "apiserver/http_server.h"

#include <cstring>

#include "apiserver/http_connection.h"

namespace minik {

const std::string& HttpRequest::header(std::string_view name) const {
  static const std::string kEmpty;
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return kEmpty;
}

struct HttpServer::Impl {
  std::shared_ptr<HttpConnectionContext> context;
  uv_tcp_t* listener = nullptr;  // freed by its close callback
  int port = 0;

  static void onConnection(uv_stream_t* listener, int status) {
    if (status < 0) return;
    auto* impl = static_cast<Impl*>(listener->data);
    auto* connection = new HttpConnection(impl->context);
    if (uv_accept(listener, connection->stream()) != 0) {
      connection->abort();
      return;
    }
    // Accepting and closing at once keeps the backlog from filling with
    // clients that would otherwise wait for a slot that may never come.
    if (impl->context->connectionCount > impl->context->limits.maxConnections) {
      connection->abort();
      return;
    }
    connection->start();
  }
};

HttpServer::HttpServer(uv_loop_t* loop, HttpLimits limits, HttpHandler handler)
    : impl_(std::make_unique<Impl>()) {
  impl_->context = std::make_shared<HttpConnectionContext>();
  impl_->context->loop = loop;
  impl_->context->limits = limits;
  impl_->context->handler = std::move(handler);
}

HttpServer::~HttpServer() { close(); }

bool HttpServer::listen(const std::string& host, int port, std::string* error) {
  auto fail = [&](const std::string& what, int status) {
    if (error != nullptr) *error = what + ": " + uv_strerror(status);
    return false;
  };
  if (impl_->listener != nullptr) return fail("listen " + host, UV_EALREADY);

  sockaddr_storage address{};
  std::string literal = host;
  if (literal.size() > 2 && literal.front() == '[' && literal.back() == ']') {
    literal = literal.substr(1, literal.size() - 2);  // "[::1]" as in URLs
  }
  int status = literal.find(':') != std::string::npos
                   ? uv_ip6_addr(literal.c_str(), port, reinterpret_cast<sockaddr_in6*>(&address))
                   : uv_ip4_addr(literal.c_str(), port, reinterpret_cast<sockaddr_in*>(&address));
  if (status != 0) return fail("invalid listen address " + host, status);

  auto* listener = new uv_tcp_t;
  uv_tcp_init(impl_->context->loop, listener);
  listener->data = impl_.get();
  auto discard = [](uv_handle_t* handle) { delete reinterpret_cast<uv_tcp_t*>(handle); };
  // IPV6ONLY keeps "::" from also taking the IPv4 port another listener may want.
  unsigned flags = address.ss_family == AF_INET6 ? UV_TCP_IPV6ONLY : 0;
  status = uv_tcp_bind(listener, reinterpret_cast<sockaddr*>(&address), flags);
  if (status == 0) status = uv_listen(reinterpret_cast<uv_stream_t*>(listener), 511, &Impl::onConnection);
  if (status != 0) {
    uv_close(reinterpret_cast<uv_handle_t*>(listener), discard);
    return fail("listen on " + host + ":" + std::to_string(port), status);
  }

  sockaddr_storage bound{};
  int length = sizeof bound;
  uv_tcp_getsockname(listener, reinterpret_cast<sockaddr*>(&bound), &length);
  impl_->port = ntohs(bound.ss_family == AF_INET6
                          ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                          : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  impl_->listener = listener;
  return true;
}

int HttpServer::port() const { return impl_->port; }

void HttpServer::close() {
  if (impl_->listener != nullptr) {
    uv_close(reinterpret_cast<uv_handle_t*>(impl_->listener),
             [](uv_handle_t* handle) { delete reinterpret_cast<uv_tcp_t*>(handle); });
    impl_->listener = nullptr;
  }
  for (HttpConnection* c = impl_->context->connections; c != nullptr; c = c->nextInList()) {
    c->abort();
  }
}

}  // namespace minik
