// dns/udp_server.h — serves DNS over UDP on one address: datagrams are read
// and answered in batches (recvmmsg/sendmmsg) from a socket polled by the
// serving loop, with buffers allocated once.
//
// Contract: runs on its loop's thread; a datagram larger than kMaxQuery is
// dropped (no query is that long); replies from the forwarder come back
// through deliver().
#pragma once

#include <sys/socket.h>

#include <string>

#include <uv.h>

#include "dns/forwarder.h"
#include "dns/responder.h"

namespace minik::dns {

class UdpServer : public ReplyTarget {
 public:
  static constexpr size_t kBatch = 32;
  static constexpr size_t kMaxQuery = 1536;

  UdpServer(uv_loop_t* loop, Responder& responder) : loop_(loop), responder_(responder) {}
  ~UdpServer() override;
  UdpServer(const UdpServer&) = delete;
  UdpServer& operator=(const UdpServer&) = delete;

  // Binds address; on failure error holds the reason.
  bool listen(const sockaddr* address, std::string* error);
  void close();
  void deliver(const ReplyRoute& route, const uint8_t* message, size_t length) override;

 private:
  void drain();

  uv_loop_t* loop_;
  Responder& responder_;
  int fd_ = -1;
  uv_poll_t* poll_ = nullptr;
  ReplyRoute route_;
  uint8_t in_[kBatch][kMaxQuery];
  uint8_t out_[kBatch][kServerUdpSize];
  sockaddr_storage peers_[kBatch];
  iovec inVec_[kBatch];
  iovec outVec_[kBatch];
  mmsghdr inMsg_[kBatch];
  mmsghdr outMsg_[kBatch];
};

}  // namespace minik::dns
