// netagent/netlink_channel.h — one netlink socket (opened through libnl-3)
// that sends a NetlinkWriter's messages in one sendmsg and reads every
// answer the kernel owes for them.
//
// Contract:
//  - exchange() returns after every awaited message (NLM_F_ACK or NLM_F_DUMP)
//    has been answered (ack, error or end of dump), or after a receive timeout
//    of a few seconds (then false: never hangs the caller's loop for long).
//  - Errors the caller tolerates (e.g. "no such object" when deleting) are
//    filtered by a predicate; the first other error is returned as text with
//    the kernel's extended ack message when it gave one.
//  - NETLINK_NETFILTER channels send a writer's buffer in one sendmsg (the
//    send buffer grows to fit, SO_SNDBUFFORCE as root): an nf_tables batch
//    must arrive whole. Other channels send runs of messages and read their
//    answers in between, so that acks never overflow the receive buffer.
//  - Not thread-safe: one user at a time (the proxy's loop thread).
#pragma once

#include <linux/netlink.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "netagent/netlink_writer.h"

struct nl_sock;

namespace minik::netagent {

class NetlinkChannel {
 public:
  // protocol: NETLINK_NETFILTER, NETLINK_GENERIC, NETLINK_ROUTE.
  static std::unique_ptr<NetlinkChannel> open(int protocol, std::string* error);
  ~NetlinkChannel();
  NetlinkChannel(const NetlinkChannel&) = delete;
  NetlinkChannel& operator=(const NetlinkChannel&) = delete;

  using OnMessage = std::function<void(const nlmsghdr& message)>;
  // errnum is positive (ENOENT, ...); return true to ignore the error.
  using Tolerate = std::function<bool(uint32_t sequence, int errnum)>;

  bool exchange(const NetlinkWriter& writer, const OnMessage& onMessage, std::string* error,
                const Tolerate& tolerate = {});

  // The id of a generic netlink family, or -1 when the kernel has none by
  // that name (NETLINK_GENERIC channels only).
  int resolveFamily(const std::string& name);

  nl_sock* socket() { return socket_; }
  // Sequence numbers for writers on this channel: never reused, so a stale
  // answer can never be taken for a new one.
  uint32_t takeSequences(uint32_t count);
  uint64_t messagesSent() const { return messagesSent_; }
  uint64_t bytesSent() const { return bytesSent_; }

 private:
  explicit NetlinkChannel(nl_sock* socket) : socket_(socket) {}
  bool ensureSendBuffer(size_t bytes);
  // batchSequence: the first message of an nf_tables batch, 0 otherwise.
  bool sendAndRead(const uint8_t* data, size_t len, std::set<uint32_t> awaited, uint32_t batchSequence,
                   const OnMessage& onMessage, std::string* error, const Tolerate& tolerate);

  nl_sock* socket_;
  int protocol_ = 0;
  bool atomic_ = false;  // one sendmsg per writer (nf_tables batches)
  size_t sendBuffer_ = 0;
  uint32_t nextSequence_ = 1;
  uint64_t messagesSent_ = 0;
  uint64_t bytesSent_ = 0;
};

// Walks the attributes of a message payload after a family header of
// headerLen bytes, or of a nested attribute: calls visit(type, data, len).
void forEachAttribute(const void* data, size_t len,
                      const std::function<void(uint16_t type, const uint8_t* value, size_t len)>& visit);
void forEachAttribute(const nlmsghdr& message, size_t headerLen,
                      const std::function<void(uint16_t type, const uint8_t* value, size_t len)>& visit);

}  // namespace minik::netagent
