#include "netagent/netlink_channel.h"

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <vector>

namespace minik::netagent {

namespace {

constexpr size_t kReceiveBuffer = 64 * 1024;
constexpr int kReceiveTimeoutSeconds = 10;

std::string errorText(const nlmsgerr& err, const nlmsghdr& message) {
  std::string text = std::strerror(-err.error);
  // Extended ack: attributes after the (capped) original header.
  if (message.nlmsg_flags & NLM_F_ACK_TLVS) {
    size_t offset = NLMSG_HDRLEN + sizeof(nlmsgerr);
    if (!(message.nlmsg_flags & NLM_F_CAPPED)) offset += err.msg.nlmsg_len - NLMSG_HDRLEN;
    if (offset < message.nlmsg_len) {
      forEachAttribute(reinterpret_cast<const uint8_t*>(&message) + offset, message.nlmsg_len - offset,
                       [&](uint16_t type, const uint8_t* value, size_t len) {
                         if (type == NLMSGERR_ATTR_MSG && len > 1) {
                           text += ": " + std::string(reinterpret_cast<const char*>(value), strnlen(reinterpret_cast<const char*>(value), len));
                         }
                       });
    }
  }
  return text;
}

}  // namespace

void forEachAttribute(const void* data, size_t len,
                      const std::function<void(uint16_t, const uint8_t*, size_t)>& visit) {
  const auto* p = static_cast<const uint8_t*>(data);
  while (len >= NLA_HDRLEN) {
    nlattr a;
    std::memcpy(&a, p, sizeof a);
    if (a.nla_len < NLA_HDRLEN || a.nla_len > len) return;
    visit(static_cast<uint16_t>(a.nla_type & NLA_TYPE_MASK), p + NLA_HDRLEN, a.nla_len - NLA_HDRLEN);
    size_t step = NLA_ALIGN(a.nla_len);
    if (step >= len) return;
    p += step;
    len -= step;
  }
}

void forEachAttribute(const nlmsghdr& message, size_t headerLen,
                      const std::function<void(uint16_t, const uint8_t*, size_t)>& visit) {
  size_t start = NLMSG_HDRLEN + NLMSG_ALIGN(headerLen);
  if (message.nlmsg_len <= start) return;
  forEachAttribute(reinterpret_cast<const uint8_t*>(&message) + start, message.nlmsg_len - start, visit);
}

std::unique_ptr<NetlinkChannel> NetlinkChannel::open(int protocol, std::string* error) {
  nl_sock* sock = nl_socket_alloc();
  if (!sock) {
    *error = "cannot allocate a netlink socket";
    return nullptr;
  }
  int rc = protocol == NETLINK_GENERIC ? genl_connect(sock) : nl_connect(sock, protocol);
  if (rc < 0) {
    *error = std::string("cannot open netlink socket: ") + nl_geterror(rc);
    nl_socket_free(sock);
    return nullptr;
  }
  int fd = nl_socket_get_fd(sock);
  int one = 1;
  setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
  int receive = 4 * 1024 * 1024;
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &receive, sizeof receive) != 0) {
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive, sizeof receive);
  }
  timeval timeout{kReceiveTimeoutSeconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  auto channel = std::unique_ptr<NetlinkChannel>(new NetlinkChannel(sock));
  channel->protocol_ = protocol;
  channel->atomic_ = protocol == NETLINK_NETFILTER;
  return channel;
}

NetlinkChannel::~NetlinkChannel() { nl_socket_free(socket_); }

uint32_t NetlinkChannel::takeSequences(uint32_t count) {
  uint32_t first = nextSequence_;
  nextSequence_ += count;
  return first;
}

int NetlinkChannel::resolveFamily(const std::string& name) {
  if (protocol_ != NETLINK_GENERIC) return -1;
  int id = genl_ctrl_resolve(socket_, name.c_str());
  return id < 0 ? -1 : id;
}

bool NetlinkChannel::ensureSendBuffer(size_t bytes) {
  if (bytes + 4096 <= sendBuffer_) return true;
  int fd = nl_socket_get_fd(socket_);
  size_t want = std::max<size_t>(bytes + 64 * 1024, 256 * 1024);
  int size = static_cast<int>(std::min<size_t>(want, 1u << 30));
  if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) != 0 &&
      setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size) != 0) {
    return false;
  }
  sendBuffer_ = static_cast<size_t>(size);
  return true;
}

bool NetlinkChannel::exchange(const NetlinkWriter& writer, const OnMessage& onMessage, std::string* error,
                              const Tolerate& tolerate) {
  if (writer.size() == 0) return true;
  std::set<uint32_t> awaited(writer.awaited().begin(), writer.awaited().end());
  if (!atomic_) {
    // Answers pile up in the receive buffer until read: send a run of
    // messages, read its answers, go on (one skb per ack: 4 MiB holds a few
    // thousand).
    constexpr size_t kAnswersPerSend = 1024;
    const uint8_t* data = writer.bytes().data();
    size_t offset = 0;
    std::string firstError;
    while (offset < writer.size()) {
      size_t end = offset;
      std::set<uint32_t> chunk;
      while (end < writer.size() && chunk.size() < kAnswersPerSend) {
        nlmsghdr h;
        std::memcpy(&h, data + end, sizeof h);
        if (awaited.count(h.nlmsg_seq)) chunk.insert(h.nlmsg_seq);
        end += NLMSG_ALIGN(h.nlmsg_len);
      }
      std::string why;
      if (!sendAndRead(data + offset, end - offset, std::move(chunk), 0, onMessage, &why, tolerate)) {
        if (why.rfind("netlink ", 0) == 0) {  // the socket failed: stop
          *error = why;
          return false;
        }
        if (firstError.empty()) firstError = why;
      }
      offset = end;
    }
    messagesSent_ += writer.messageCount();
    if (!firstError.empty()) *error = firstError;
    return firstError.empty();
  }
  messagesSent_ += writer.messageCount();
  return sendAndRead(writer.bytes().data(), writer.size(), std::move(awaited), writer.firstSequence(), onMessage,
                     error, tolerate);
}

bool NetlinkChannel::sendAndRead(const uint8_t* data, size_t len, std::set<uint32_t> awaited,
                                 uint32_t batchSequence, const OnMessage& onMessage, std::string* error,
                                 const Tolerate& tolerate) {
  ensureSendBuffer(len);
  int fd = nl_socket_get_fd(socket_);
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  ssize_t sent;
  do {
    sent = sendto(fd, data, len, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) {
    *error = std::string("netlink send of ") + std::to_string(len) + " bytes: " + std::strerror(errno);
    return false;
  }
  bytesSent_ += len;

  std::string firstError;
  std::vector<uint8_t> buffer(kReceiveBuffer);
  while (!awaited.empty()) {
    ssize_t got = recv(fd, buffer.data(), buffer.size(), 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      *error = std::string("netlink receive: ") + std::strerror(errno) +
               (errno == EAGAIN ? " (the kernel did not answer)" : "");
      return false;
    }
    size_t left = static_cast<size_t>(got);
    const auto* p = buffer.data();
    while (left >= NLMSG_HDRLEN) {
      const auto* message = reinterpret_cast<const nlmsghdr*>(p);
      if (message->nlmsg_len < NLMSG_HDRLEN || message->nlmsg_len > left) break;
      if (message->nlmsg_type == NLMSG_ERROR) {
        nlmsgerr err;
        std::memcpy(&err, NLMSG_DATA(message), sizeof err);
        bool wasAwaited = awaited.erase(message->nlmsg_seq) > 0;
        // An nf_tables batch refused as a whole (no permission, no memory)
        // is answered on its first message only: nothing else will come.
        if (err.error != 0 && !wasAwaited && batchSequence != 0 && message->nlmsg_seq == batchSequence) {
          awaited.clear();
        }
        if (err.error != 0 && !(tolerate && tolerate(message->nlmsg_seq, -err.error)) &&
            firstError.empty()) {
          firstError = errorText(err, *message);
        }
      } else if (message->nlmsg_type == NLMSG_DONE) {
        awaited.erase(message->nlmsg_seq);
      } else if (onMessage) {
        onMessage(*message);
      }
      size_t step = NLMSG_ALIGN(message->nlmsg_len);
      if (step >= left) break;
      p += step;
      left -= step;
    }
  }
  if (!firstError.empty()) {
    *error = firstError;
    return false;
  }
  return true;
}

}  // namespace minik::netagent
