// apiserver/http_exchange.cpp — see http_exchange.h.
#include "apiserver/http_exchange.h"

#include "apiserver/http_wire.h"

namespace minik {

static uv_buf_t bufOf(std::string_view bytes) {
  return uv_buf_init(const_cast<char*>(bytes.data()), static_cast<unsigned>(bytes.size()));
}

void ConnectionExchange::respond(
    int status, std::string_view contentType, std::string_view body,
    const std::vector<std::pair<std::string, std::string>>& extraHeaders) {
  HttpConnection* connection = link_->connection;
  if (state_ != State::kFresh || connection == nullptr) return;
  state_ = State::kDone;

  http_wire::HeadFraming framing;
  framing.contentLength = body.size();
  framing.keepAlive = facts_.keepAlive;
  framing.http10KeepAlive = facts_.http10 && facts_.keepAlive;
  std::string head;
  head.reserve(160);
  http_wire::appendHead(&head, status, contentType, extraHeaders, framing);

  uv_buf_t bufs[2] = {bufOf(head), bufOf(body)};
  bool bodyAllowed = !facts_.head && status != 204 && status != 304 && !body.empty();
  // send() copies whatever the socket does not take at once.
  connection->send(bufs, bodyAllowed ? 2 : 1);
  if (link_->connection != nullptr) link_->connection->responseEnded(facts_.keepAlive);
}

void ConnectionExchange::beginStream(int status, std::string_view contentType) {
  HttpConnection* connection = link_->connection;
  if (state_ != State::kFresh || connection == nullptr) return;
  state_ = State::kStreaming;
  // HTTP/1.0 has no chunked coding: the body ends when the connection does.
  chunked_ = !facts_.http10;
  if (!chunked_) facts_.keepAlive = false;

  http_wire::HeadFraming framing;
  framing.chunked = chunked_;
  framing.keepAlive = facts_.keepAlive;
  std::string head;
  http_wire::appendHead(&head, status, contentType, {}, framing);
  uv_buf_t buf = bufOf(head);
  if (!connection->send(&buf, 1)) return;
  connection->streamStarted();
}

bool ConnectionExchange::write(std::string_view chunk) {
  HttpConnection* connection = link_->connection;
  if (state_ != State::kStreaming || connection == nullptr) return false;
  // An empty chunk would read as the end of the body; HEAD sends no body.
  if (chunk.empty() || facts_.head) return true;
  if (!chunked_) {
    uv_buf_t buf = bufOf(chunk);
    return connection->send(&buf, 1);
  }
  char prefix[20];
  size_t prefixLength = http_wire::chunkPrefix(prefix, chunk.size());
  uv_buf_t bufs[3] = {bufOf({prefix, prefixLength}), bufOf(chunk), bufOf("\r\n")};
  return connection->send(bufs, 3);
}

void ConnectionExchange::endStream() {
  if (state_ != State::kStreaming) return;
  state_ = State::kDone;
  HttpConnection* connection = link_->connection;
  if (connection == nullptr) return;
  if (chunked_ && !facts_.head) {
    uv_buf_t last = bufOf("0\r\n\r\n");
    connection->send(&last, 1);
  }
  if (link_->connection != nullptr) link_->connection->responseEnded(facts_.keepAlive);
}

void ConnectionExchange::onClose(std::function<void()> callback) {
  if (!callback) return;
  if (link_->closeNotified) {
    callback();
    return;
  }
  link_->closeCallbacks.push_back(std::move(callback));
}

}  // namespace minik
