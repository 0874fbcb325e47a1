#include "dns/udp_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace minik::dns {

namespace {
socklen_t lengthOf(const sockaddr_storage& ss) {
  return ss.ss_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
}
}  // namespace

UdpServer::~UdpServer() { close(); }

bool UdpServer::listen(const sockaddr* address, std::string* error) {
  int family = address->sa_family;
  int fd = ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *error = std::strerror(errno);
    return false;
  }
  // No SO_REUSEADDR: on UDP it would let a second server share the address
  // and split the queries between them.
  int one = 1;
  if (family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  socklen_t length = family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
  if (::bind(fd, address, length) != 0) {
    *error = std::strerror(errno);
    ::close(fd);
    return false;
  }
  fd_ = fd;
  poll_ = new uv_poll_t;
  uv_poll_init(loop_, poll_, fd_);
  poll_->data = this;
  uv_poll_start(poll_, UV_READABLE, [](uv_poll_t* p, int status, int) {
    if (status == 0) static_cast<UdpServer*>(p->data)->drain();
  });
  for (size_t i = 0; i < kBatch; ++i) {
    inVec_[i] = {in_[i], kMaxQuery};
    std::memset(&inMsg_[i], 0, sizeof inMsg_[i]);
    inMsg_[i].msg_hdr.msg_iov = &inVec_[i];
    inMsg_[i].msg_hdr.msg_iovlen = 1;
  }
  route_.target = this;
  route_.tcp = false;
  return true;
}

void UdpServer::close() {
  if (poll_) {
    uv_poll_stop(poll_);
    uv_close(reinterpret_cast<uv_handle_t*>(poll_), [](uv_handle_t* h) { delete reinterpret_cast<uv_poll_t*>(h); });
    poll_ = nullptr;
  }
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

void UdpServer::drain() {
  // A few batches per wakeup, then back to the loop so TCP and the
  // forwarder get their turn under a flood.
  for (int round = 0; round < 8; ++round) {
    for (size_t i = 0; i < kBatch; ++i) {
      inMsg_[i].msg_hdr.msg_name = &peers_[i];
      inMsg_[i].msg_hdr.msg_namelen = sizeof peers_[i];
      inMsg_[i].msg_hdr.msg_flags = 0;
    }
    int n = ::recvmmsg(fd_, inMsg_, kBatch, MSG_DONTWAIT, nullptr);
    if (n <= 0) return;
    unsigned replies = 0;
    for (int i = 0; i < n; ++i) {
      if (inMsg_[i].msg_hdr.msg_flags & MSG_TRUNC) continue;
      std::memcpy(&route_.address, &peers_[i], inMsg_[i].msg_hdr.msg_namelen);
      size_t length = 0;
      Responder::Outcome outcome = responder_.respond(in_[i], inMsg_[i].msg_len, route_, out_[replies],
                                                      kServerUdpSize, &length);
      if (outcome != Responder::Outcome::Reply) continue;
      outVec_[replies] = {out_[replies], length};
      std::memset(&outMsg_[replies], 0, sizeof outMsg_[replies]);
      outMsg_[replies].msg_hdr.msg_name = &peers_[i];
      outMsg_[replies].msg_hdr.msg_namelen = inMsg_[i].msg_hdr.msg_namelen;
      outMsg_[replies].msg_hdr.msg_iov = &outVec_[replies];
      outMsg_[replies].msg_hdr.msg_iovlen = 1;
      ++replies;
    }
    for (unsigned sent = 0; sent < replies;) {
      int m = ::sendmmsg(fd_, outMsg_ + sent, replies - sent, MSG_DONTWAIT);
      if (m <= 0) break;  // a full socket buffer drops replies, as a lost datagram would
      sent += unsigned(m);
    }
    if (size_t(n) < kBatch) return;
  }
}

void UdpServer::deliver(const ReplyRoute& route, const uint8_t* message, size_t length) {
  if (fd_ < 0) return;
  ::sendto(fd_, message, length, MSG_DONTWAIT, reinterpret_cast<const sockaddr*>(&route.address),
           lengthOf(route.address));
}

}  // namespace minik::dns
