// apiserver/http_exchange.h — the HttpExchange of one request on one
// connection: turns respond()/beginStream()/write()/endStream() into bytes
// (Content-Length or chunked framing, nothing after the head for HEAD) and
// tells the connection when the response ended. Internal to apiserver/.
//
// Invariant: once the response ended or the connection closed, every call
// is a no-op (write() returns false), so a handler may keep the exchange as
// long as it likes.
#pragma once

#include <memory>

#include "apiserver/http_connection.h"
#include "apiserver/http_server.h"

namespace minik {

class ConnectionExchange : public HttpExchange {
 public:
  struct RequestFacts {
    bool head = false;       // HEAD: the head is written, never a body
    bool http10 = false;     // HTTP/1.0 peers get no chunked framing
    bool keepAlive = true;   // the connection may carry another request
  };

  ConnectionExchange(std::shared_ptr<ConnectionLink> link, RequestFacts facts)
      : link_(std::move(link)), facts_(facts) {}

  void respond(int status, std::string_view contentType, std::string_view body,
               const std::vector<std::pair<std::string, std::string>>& extraHeaders) override;
  void beginStream(int status, std::string_view contentType) override;
  bool write(std::string_view chunk) override;
  void endStream() override;
  bool closed() const override { return link_->connection == nullptr; }
  void onClose(std::function<void()> callback) override;

  // Whether the handler has not answered at all yet.
  bool unanswered() const { return state_ == State::kFresh; }

 private:
  enum class State { kFresh, kStreaming, kDone };

  std::shared_ptr<ConnectionLink> link_;
  RequestFacts facts_;
  State state_ = State::kFresh;
  bool chunked_ = false;
};

}  // namespace minik
