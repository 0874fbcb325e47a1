// dns/forwarder.h — names outside the cluster zone, asked of the upstream
// resolvers from a resolv.conf (as CoreDNS `forward . /etc/resolv.conf`),
// through an AnswerCache (as `cache 30`).
//
// Contract:
//  - Runs on the serving loop; forward() returns at once and the reply is
//    delivered later through the route's ReplyTarget, on the same loop.
//  - Every forwarded query ends in exactly one delivery: the upstream's
//    answer, or SERVFAIL once every upstream timed out. A route whose
//    target went away (TCP connection closed) is dropped by the target.
//  - Upstream answers are accepted only from the server asked, with the id
//    and question sent; ids are random per query.
//  - Bounded: at most kMaxPending queries in flight (more get SERVFAIL), and
//    the cache's bound.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <uv.h>

#include "dns/answer_cache.h"
#include "dns/wire.h"

namespace minik::dns {

struct ReplyRoute;

// Where replies go: the UDP or TCP server that got the query.
class ReplyTarget {
 public:
  virtual ~ReplyTarget() = default;
  virtual void deliver(const ReplyRoute& route, const uint8_t* message, size_t length) = 0;
};

struct ReplyRoute {
  ReplyTarget* target = nullptr;
  uint64_t token = 0;           // the target's own reference (a connection)
  sockaddr_storage address{};   // the client
  bool tcp = false;
};

// The nameserver lines of a resolv.conf, as socket addresses on port 53.
// Addresses in exclude (our own listen addresses) are skipped: forwarding to
// ourselves would loop.
std::vector<sockaddr_storage> readResolvConf(const std::string& path,
                                             const std::vector<sockaddr_storage>& exclude);

class Forwarder {
 public:
  static constexpr size_t kMaxPending = 512;

  Forwarder(uv_loop_t* loop, std::vector<sockaddr_storage> upstreams);
  ~Forwarder();
  Forwarder(const Forwarder&) = delete;
  Forwarder& operator=(const Forwarder&) = delete;

  bool start(std::string* error);
  void stop();  // closes the sockets; pending queries are dropped
  bool hasUpstreams() const { return !upstreams_.empty(); }

  // A cached answer to query, written into out; its length, or 0.
  size_t fromCache(const Query& query, const uint8_t* packet, size_t limit, uint8_t* out, size_t capacity);

  // Asks upstream; the reply goes to route. With chaseTarget (an
  // ExternalName's CNAME target), upstream is asked for the target and the
  // reply is the CNAME followed by the target's records. False when nothing
  // could be sent (no upstream, too many in flight): answer SERVFAIL.
  bool forward(const Query& query, const uint8_t* packet, const ReplyRoute& route,
               const uint8_t* chaseTarget = nullptr);

 private:
  struct Pending {
    bool used = false;
    uint16_t upstreamId = 0;
    uint8_t server = 0;
    uint8_t attempts = 0;
    uint64_t deadlineMs = 0;
    ReplyRoute route;
    Query query;
    uint8_t packet[kHeaderSize + kMaxNameLength + 4];  // the client's header and question
    bool chase = false;
    uint8_t target[kMaxNameLength];
    uint8_t targetLength = 0;
    struct TcpAsk* tcp = nullptr;  // asking again over TCP (the UDP answer was truncated)
  };
  friend struct TcpAsk;

  size_t buildQuery(Pending& p, uint8_t* out);  // the upstream query, new id
  bool send(Pending& p);
  bool answers(const Pending& p, const uint8_t* data, size_t length) const;
  void askOverTcp(Pending& p);
  void onTcpAnswer(TcpAsk* ask, const uint8_t* data, size_t length);
  void release(Pending& p);
  void onUpstreamReply(const uint8_t* data, size_t length, const sockaddr* from);
  void reply(Pending& p, const uint8_t* upstream, size_t length);
  void fail(Pending& p);
  void onTick();
  uint64_t nowMs() const { return uv_now(loop_); }
  static void onRecv(uv_udp_t* handle, ssize_t n, const uv_buf_t* buf, const sockaddr* from, unsigned);

  uv_loop_t* loop_;
  std::vector<sockaddr_storage> upstreams_;
  uv_udp_t* socket4_ = nullptr;
  uv_udp_t* socket6_ = nullptr;
  uv_timer_t* tick_ = nullptr;
  // Grows to kMaxPending on demand; a deque, because a delivery can start a
  // new forward while a Pending is referenced.
  std::deque<Pending> pending_;
  size_t inFlight_ = 0;
  AnswerCache cache_;
  uint8_t receive_[kMaxMessageSize];
  uint8_t scratch_[kMaxMessageSize];
  uint32_t random_;
};

}  // namespace minik::dns
