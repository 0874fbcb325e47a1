#include "dns/forwarder.h"

#include <netinet/in.h>
#include <sys/random.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "dns/client_ranges.h"

namespace minik::dns {

namespace {

constexpr uint64_t kAttemptTimeoutMs = 1500;
constexpr uint64_t kTickMs = 100;
constexpr uint32_t kChaseTtl = 30;

bool sameEndpoint(const sockaddr_storage& a, const sockaddr* b) {
  if (a.ss_family != b->sa_family) return false;
  if (a.ss_family == AF_INET) {
    auto* x = reinterpret_cast<const sockaddr_in*>(&a);
    auto* y = reinterpret_cast<const sockaddr_in*>(b);
    return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
  }
  auto* x = reinterpret_cast<const sockaddr_in6*>(&a);
  auto* y = reinterpret_cast<const sockaddr_in6*>(b);
  return x->sin6_port == y->sin6_port && std::memcmp(&x->sin6_addr, &y->sin6_addr, 16) == 0;
}

inline uint8_t lower(uint8_t c) { return (c >= 'A' && c <= 'Z') ? uint8_t(c + 32) : c; }

bool sameNameIgnoringCase(const uint8_t* a, const uint8_t* b) {
  for (;;) {
    if (*a != *b) return false;
    uint8_t n = *a;
    if (n == 0) return true;
    for (size_t i = 1; i <= n; ++i) {
      if (lower(a[i]) != lower(b[i])) return false;
    }
    a += n + 1;
    b += n + 1;
  }
}

size_t wireLength(const uint8_t* name) {
  size_t n = 0;
  while (name[n] != 0) n += size_t(name[n]) + 1;
  return n + 1;
}

}  // namespace

std::vector<sockaddr_storage> readResolvConf(const std::string& path,
                                             const std::vector<sockaddr_storage>& exclude) {
  std::vector<sockaddr_storage> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string keyword, address;
    if (!(words >> keyword >> address) || keyword != "nameserver") continue;
    size_t scope = address.find('%');
    if (scope != std::string::npos) address.resize(scope);
    Address a = Address::parse(address);
    if (!a.valid()) continue;
    sockaddr_storage ss{};
    if (a.length == 4) {
      auto* in4 = reinterpret_cast<sockaddr_in*>(&ss);
      in4->sin_family = AF_INET;
      in4->sin_port = htons(53);
      std::memcpy(&in4->sin_addr, a.bytes, 4);
    } else {
      auto* in6 = reinterpret_cast<sockaddr_in6*>(&ss);
      in6->sin6_family = AF_INET6;
      in6->sin6_port = htons(53);
      std::memcpy(&in6->sin6_addr, a.bytes, 16);
    }
    bool ours = false;
    for (const auto& e : exclude) ours |= sameEndpoint(e, reinterpret_cast<sockaddr*>(&ss));
    if (!ours) out.push_back(ss);
  }
  return out;
}

// One question to one upstream over TCP: connect, write, read one framed answer.
struct TcpAsk {
  uv_tcp_t tcp;
  uv_connect_t connect;
  uv_write_t write;
  Forwarder* forwarder = nullptr;  // null once the forwarder let go of it
  std::vector<uint8_t> out;
  std::vector<uint8_t> in;  // the framed answer, allocated on the first read
  size_t received = 0;
  bool closing = false;

  void close() {
    if (closing) return;
    closing = true;
    forwarder = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp), [](uv_handle_t* h) { delete static_cast<TcpAsk*>(h->data); });
  }
  void done(const uint8_t* data, size_t length) {
    if (forwarder) forwarder->onTcpAnswer(this, data, length);
    close();
  }
};

Forwarder::Forwarder(uv_loop_t* loop, std::vector<sockaddr_storage> upstreams)
    : loop_(loop), upstreams_(std::move(upstreams)) {
  if (getrandom(&random_, sizeof random_, 0) != sizeof random_) random_ = uint32_t(uv_hrtime());
  if (random_ == 0) random_ = 0x9E3779B9u;
}

Forwarder::~Forwarder() { stop(); }

bool Forwarder::start(std::string* error) {
  auto open = [&](int family, uv_udp_t** out) {
    auto* h = new uv_udp_t;
    uv_udp_init(loop_, h);
    h->data = this;
    sockaddr_storage any{};
    if (family == AF_INET) {
      uv_ip4_addr("0.0.0.0", 0, reinterpret_cast<sockaddr_in*>(&any));
    } else {
      uv_ip6_addr("::", 0, reinterpret_cast<sockaddr_in6*>(&any));
    }
    int rc = uv_udp_bind(h, reinterpret_cast<sockaddr*>(&any), 0);
    if (rc == 0) {
      rc = uv_udp_recv_start(
          h,
          [](uv_handle_t* handle, size_t, uv_buf_t* buf) {
            auto* self = static_cast<Forwarder*>(handle->data);
            *buf = uv_buf_init(reinterpret_cast<char*>(self->receive_), sizeof self->receive_);
          },
          onRecv);
    }
    if (rc != 0) {
      if (error) *error = std::string("upstream socket: ") + uv_strerror(rc);
      uv_close(reinterpret_cast<uv_handle_t*>(h), [](uv_handle_t* x) { delete reinterpret_cast<uv_udp_t*>(x); });
      return false;
    }
    *out = h;
    return true;
  };
  bool need4 = false, need6 = false;
  for (const auto& u : upstreams_) (u.ss_family == AF_INET ? need4 : need6) = true;
  if (need4 && !open(AF_INET, &socket4_)) return false;
  if (need6 && !open(AF_INET6, &socket6_)) return false;
  tick_ = new uv_timer_t;
  uv_timer_init(loop_, tick_);
  tick_->data = this;
  uv_timer_start(
      tick_, [](uv_timer_t* t) { static_cast<Forwarder*>(t->data)->onTick(); }, kTickMs, kTickMs);
  return true;
}

void Forwarder::stop() {
  auto close = [](uv_handle_t* h) {
    if (!h) return;
    uv_close(h, [](uv_handle_t* x) {
      if (x->type == UV_TIMER) {
        delete reinterpret_cast<uv_timer_t*>(x);
      } else {
        delete reinterpret_cast<uv_udp_t*>(x);
      }
    });
  };
  if (socket4_) uv_udp_recv_stop(socket4_);
  if (socket6_) uv_udp_recv_stop(socket6_);
  close(reinterpret_cast<uv_handle_t*>(socket4_));
  close(reinterpret_cast<uv_handle_t*>(socket6_));
  close(reinterpret_cast<uv_handle_t*>(tick_));
  socket4_ = socket6_ = nullptr;
  tick_ = nullptr;
  for (auto& p : pending_) {
    if (p.tcp) p.tcp->close();
  }
  pending_.clear();
  inFlight_ = 0;
}

size_t Forwarder::fromCache(const Query& query, const uint8_t* packet, size_t limit, uint8_t* out,
                            size_t capacity) {
  size_t n = cache_.lookup(query, packet, nowMs(), out, capacity);
  if (n == 0) return 0;
  if (!query.edns) n = removeOpt(out, n);
  if (n > limit) {
    // Too big for the asker's UDP size: the question alone, truncated.
    n = query.questionEnd;
    writeU16(out + 2, uint16_t(readU16(out + 2) | 0x0200));
    std::memset(out + 6, 0, 6);
  }
  return n;
}

bool Forwarder::forward(const Query& query, const uint8_t* packet, const ReplyRoute& route,
                        const uint8_t* chaseTarget) {
  if (upstreams_.empty() || inFlight_ >= kMaxPending || !tick_) return false;
  Pending* p = nullptr;
  for (size_t i = 0; i < pending_.size() && !p; ++i) {
    if (!pending_[i].used) p = &pending_[i];
  }
  if (!p) {
    pending_.emplace_back();
    p = &pending_.back();
  }
  p->used = true;
  p->server = 0;
  p->attempts = 0;
  p->route = route;
  p->query = query;
  std::memcpy(p->packet, packet, query.questionEnd);
  p->chase = chaseTarget != nullptr;
  if (p->chase) {
    p->targetLength = uint8_t(wireLength(chaseTarget));
    std::memcpy(p->target, chaseTarget, p->targetLength);
  }
  ++inFlight_;
  if (!send(*p)) {
    p->used = false;
    --inFlight_;
    return false;
  }
  return true;
}

size_t Forwarder::buildQuery(Pending& p, uint8_t* o) {
  random_ ^= random_ << 13;
  random_ ^= random_ >> 17;
  random_ ^= random_ << 5;
  p.upstreamId = uint16_t(random_ ^ (random_ >> 16));
  const uint8_t* name = p.chase ? p.target : p.query.name;
  size_t nameLength = p.chase ? p.targetLength : p.query.nameLength;
  writeU16(o, p.upstreamId);
  writeU16(o + 2, uint16_t(0x0100 | (p.query.checkingDisabled ? 0x0010 : 0)));
  writeU16(o + 4, 1);
  writeU16(o + 6, 0);
  writeU16(o + 8, 0);
  writeU16(o + 10, 1);
  size_t at = kHeaderSize;
  std::memcpy(o + at, name, nameLength);
  at += nameLength;
  writeU16(o + at, p.query.type);
  writeU16(o + at + 2, kClassIN);
  at += 4;
  o[at] = 0;  // OPT
  writeU16(o + at + 1, kTypeOPT);
  writeU16(o + at + 3, uint16_t(kServerUdpSize));
  writeU32(o + at + 5, p.query.dnssecOk ? 0x8000 : 0);
  writeU16(o + at + 9, 0);
  return at + 11;
}

bool Forwarder::send(Pending& p) {
  const sockaddr_storage& server = upstreams_[p.server % upstreams_.size()];
  uv_udp_t* socket = server.ss_family == AF_INET ? socket4_ : socket6_;
  if (!socket) return false;
  size_t length = buildQuery(p, scratch_);
  uv_buf_t buf = uv_buf_init(reinterpret_cast<char*>(scratch_), unsigned(length));
  uv_udp_try_send(socket, &buf, 1, reinterpret_cast<const sockaddr*>(&server));
  p.deadlineMs = nowMs() + kAttemptTimeoutMs;
  return true;  // a lost datagram is retried on the deadline like a lost answer
}

void Forwarder::onRecv(uv_udp_t* handle, ssize_t n, const uv_buf_t* buf, const sockaddr* from, unsigned) {
  if (n <= 0 || !from) return;
  static_cast<Forwarder*>(handle->data)->onUpstreamReply(reinterpret_cast<const uint8_t*>(buf->base),
                                                         size_t(n), from);
}

bool Forwarder::answers(const Pending& p, const uint8_t* data, size_t length) const {
  if (length < kHeaderSize || !(readU16(data + 2) & 0x8000) || readU16(data + 4) != 1) return false;
  if (readU16(data) != p.upstreamId) return false;
  uint8_t name[kMaxNameLength];
  size_t n = readName(data, length, kHeaderSize, name);
  if (n == 0 || kHeaderSize + n + 4 > length) return false;
  const uint8_t* expected = p.chase ? p.target : p.query.name;
  return sameNameIgnoringCase(name, expected) && readU16(data + kHeaderSize + n) == p.query.type;
}

void Forwarder::onUpstreamReply(const uint8_t* data, size_t length, const sockaddr* from) {
  if (length < kHeaderSize) return;
  for (size_t i = 0; i < pending_.size(); ++i) {
    Pending& p = pending_[i];
    if (!p.used || p.tcp || p.upstreamId != readU16(data)) continue;
    if (!sameEndpoint(upstreams_[p.server % upstreams_.size()], from)) continue;
    if (!answers(p, data, length)) return;
    if ((readU16(data + 2) & 0x0200) && p.route.tcp) {
      askOverTcp(p);
      return;
    }
    reply(p, data, length);
    release(p);
    return;
  }
}

void Forwarder::release(Pending& p) {
  p.used = false;
  p.tcp = nullptr;
  --inFlight_;
}

void Forwarder::askOverTcp(Pending& p) {
  auto* ask = new TcpAsk;
  ask->forwarder = this;
  ask->out.resize(2 + kHeaderSize + kMaxNameLength + 4 + 11);
  size_t length = buildQuery(p, ask->out.data() + 2);
  writeU16(ask->out.data(), uint16_t(length));
  ask->out.resize(2 + length);
  p.tcp = ask;
  p.deadlineMs = nowMs() + 2 * kAttemptTimeoutMs;
  uv_tcp_init(loop_, &ask->tcp);
  ask->tcp.data = ask;
  ask->connect.data = ask;
  const sockaddr_storage& server = upstreams_[p.server % upstreams_.size()];
  int rc = uv_tcp_connect(&ask->connect, &ask->tcp, reinterpret_cast<const sockaddr*>(&server), [](uv_connect_t* c, int status) {
    auto* a = static_cast<TcpAsk*>(c->data);
    if (status != 0 || a->closing) {
      a->done(nullptr, 0);
      return;
    }
    a->write.data = a;
    uv_buf_t buf = uv_buf_init(reinterpret_cast<char*>(a->out.data()), unsigned(a->out.size()));
    uv_write(&a->write, reinterpret_cast<uv_stream_t*>(&a->tcp), &buf, 1, [](uv_write_t* w, int st) {
      if (st != 0) static_cast<TcpAsk*>(w->data)->done(nullptr, 0);
    });
    uv_read_start(
        reinterpret_cast<uv_stream_t*>(&a->tcp),
        [](uv_handle_t* h, size_t, uv_buf_t* buf) {
          auto* self = static_cast<TcpAsk*>(h->data);
          if (self->in.empty()) self->in.resize(2 + kMaxMessageSize);
          *buf = uv_buf_init(reinterpret_cast<char*>(self->in.data() + self->received),
                             unsigned(self->in.size() - self->received));
        },
        [](uv_stream_t* s, ssize_t n, const uv_buf_t*) {
          auto* self = static_cast<TcpAsk*>(s->data);
          if (self->closing) return;
          if (n < 0 || (n == 0 && self->received == self->in.size())) {
            self->done(nullptr, 0);
            return;
          }
          self->received += size_t(n);
          const uint8_t* frame = self->in.data();
          if (self->received >= 2 && self->received >= 2 + size_t(readU16(frame))) {
            self->done(frame + 2, readU16(frame));
          }
        });
  });
  if (rc != 0) {
    p.tcp = nullptr;
    ask->forwarder = nullptr;
    ask->close();
    fail(p);
    release(p);
  }
}

void Forwarder::onTcpAnswer(TcpAsk* ask, const uint8_t* data, size_t length) {
  for (size_t i = 0; i < pending_.size(); ++i) {
    Pending& p = pending_[i];
    if (!p.used || p.tcp != ask) continue;
    if (data && answers(p, data, length)) {
      reply(p, data, length);
    } else {
      fail(p);
    }
    release(p);
    return;
  }
}

void Forwarder::reply(Pending& p, const uint8_t* upstream, size_t length) {
  size_t limit = p.route.tcp ? kMaxMessageSize : p.query.udpLimit();
  if (p.chase) {
    MessageWriter w(scratch_, sizeof scratch_);
    w.begin(p.query, p.packet, limit);
    w.setAuthoritative(true);
    w.setRecursionAvailable(true);
    w.beginRecordAtQuestion(MessageWriter::kAnswer, kTypeCNAME, kChaseTtl);
    w.putName(p.target);
    w.endRecord();
    copyAnswers(upstream, length, w);
    if ((readU16(upstream + 2) & 0x0F) == kNxDomain) w.setRcode(kNxDomain);
    size_t n = w.finish();
    p.route.target->deliver(p.route, scratch_, n);
    return;
  }
  cache_.store(p.query, upstream, length, nowMs());
  std::memcpy(scratch_, upstream, length);
  size_t n = length;
  writeU16(scratch_, p.query.id);
  uint16_t flags = uint16_t((readU16(scratch_ + 2) & ~0x0100) | (p.query.flags & 0x0100));
  writeU16(scratch_ + 2, flags);
  size_t questionLength = p.query.questionEnd - kHeaderSize;
  if (length >= p.query.questionEnd) std::memcpy(scratch_ + kHeaderSize, p.packet + kHeaderSize, questionLength);
  if (!p.query.edns) n = removeOpt(scratch_, n);
  if (n > limit) {
    n = p.query.questionEnd;
    writeU16(scratch_ + 2, uint16_t(flags | 0x0200));
    std::memset(scratch_ + 6, 0, 6);
  }
  p.route.target->deliver(p.route, scratch_, n);
}

void Forwarder::fail(Pending& p) {
  size_t limit = p.route.tcp ? kMaxMessageSize : p.query.udpLimit();
  MessageWriter w(scratch_, sizeof scratch_);
  w.begin(p.query, p.packet, limit);
  w.setRecursionAvailable(true);
  if (p.chase) {
    // The CNAME is ours to give even when its target is unreachable.
    w.setAuthoritative(true);
    w.beginRecordAtQuestion(MessageWriter::kAnswer, kTypeCNAME, kChaseTtl);
    w.putName(p.target);
    w.endRecord();
  } else {
    w.setRcode(kServFail);
  }
  size_t n = w.finish();
  p.route.target->deliver(p.route, scratch_, n);
}

void Forwarder::onTick() {
  uint64_t now = nowMs();
  size_t maxAttempts = upstreams_.size() < 2 ? 2 : upstreams_.size() > 3 ? 4 : upstreams_.size() * 2;
  for (size_t i = 0; i < pending_.size(); ++i) {
    Pending& p = pending_[i];
    if (!p.used || p.deadlineMs > now) continue;
    if (p.tcp) {
      p.tcp->close();
      fail(p);
      release(p);
      continue;
    }
    if (++p.attempts < maxAttempts) {
      p.server = uint8_t((p.server + 1) % upstreams_.size());
      if (send(p)) continue;
    }
    fail(p);
    release(p);
  }
}

}  // namespace minik::dns
