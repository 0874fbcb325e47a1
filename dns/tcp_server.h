// dns/tcp_server.h — serves DNS over TCP on one address (RFC 7766): 2-byte
// length framing, several queries per connection answered in order, full
// answers up to 65535 bytes (what UDP truncated), an idle timeout.
//
// Contract: runs on its loop's thread. At most kMaxConnections at once (the
// next ones are closed at accept); a connection idle for kIdleMs, or sending
// a frame that is not a query, is closed. One query per connection is
// answered at a time, so a client pipelining queries gets them back in order.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include <uv.h>

#include "dns/forwarder.h"
#include "dns/responder.h"

namespace minik::dns {

class TcpServer : public ReplyTarget {
 public:
  static constexpr size_t kMaxConnections = 256;
  static constexpr uint64_t kIdleMs = 10000;
  struct Connection;  // one client's socket, idle timer and buffers

  TcpServer(uv_loop_t* loop, Responder& responder) : loop_(loop), responder_(responder) {}
  ~TcpServer() override;
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;

  bool listen(const sockaddr* address, std::string* error);
  void close();
  void deliver(const ReplyRoute& route, const uint8_t* message, size_t length) override;

 private:
  void accept();
  void process(Connection* c);
  void send(Connection* c, const uint8_t* message, size_t length);
  void closeConnection(Connection* c);
  // (Re)arms the idle timeout: on accept, on every read, after an upstream answer.
  static void armIdle(Connection* c);

  uv_loop_t* loop_;
  Responder& responder_;
  uv_tcp_t* listener_ = nullptr;
  uint64_t nextId_ = 1;
  std::unordered_map<uint64_t, Connection*> connections_;
  uint8_t scratch_[kMaxMessageSize];  // responses are built here, then framed
};

}  // namespace minik::dns
