#include "netagent/netlink_writer.h"

#include <arpa/inet.h>
#include <linux/netlink.h>

#include <cassert>
#include <cstring>

namespace minik::netagent {

uint32_t NetlinkWriter::begin(uint16_t type, uint16_t flags, const void* header, size_t headerLen) {
  assert(!open_);
  open_ = true;
  messageStart_ = buffer_.size();
  nlmsghdr h{};
  h.nlmsg_type = type;
  h.nlmsg_flags = static_cast<uint16_t>(flags | NLM_F_REQUEST);
  h.nlmsg_seq = nextSequence_++;
  buffer_.resize(buffer_.size() + NLMSG_HDRLEN);
  std::memcpy(buffer_.data() + messageStart_, &h, sizeof h);
  if (headerLen) {
    const auto* p = static_cast<const uint8_t*>(header);
    buffer_.insert(buffer_.end(), p, p + headerLen);
    pad();
  }
  if (flags & (NLM_F_ACK | NLM_F_DUMP)) awaited_.push_back(h.nlmsg_seq);
  return h.nlmsg_seq;
}

void NetlinkWriter::end() {
  assert(open_);
  open_ = false;
  uint32_t len = static_cast<uint32_t>(buffer_.size() - messageStart_);
  std::memcpy(buffer_.data() + messageStart_, &len, sizeof len);  // nlmsg_len comes first
  lastStart_ = messageStart_;
  ++messages_;
}

void NetlinkWriter::ackLast() {
  assert(!open_ && messages_ > 0);
  nlmsghdr h;
  std::memcpy(&h, buffer_.data() + lastStart_, sizeof h);
  if (!(h.nlmsg_flags & NLM_F_ACK)) {
    h.nlmsg_flags |= NLM_F_ACK;
    std::memcpy(buffer_.data() + lastStart_, &h, sizeof h);
    awaited_.push_back(h.nlmsg_seq);
  }
}

void NetlinkWriter::pad() {
  buffer_.resize(NLMSG_ALIGN(buffer_.size()), 0);
}

void NetlinkWriter::put(uint16_t type, const void* data, size_t len) {
  assert(open_);
  nlattr a{};
  a.nla_len = static_cast<uint16_t>(NLA_HDRLEN + len);
  a.nla_type = type;
  const auto* h = reinterpret_cast<const uint8_t*>(&a);
  buffer_.insert(buffer_.end(), h, h + sizeof a);
  if (len) {
    const auto* p = static_cast<const uint8_t*>(data);
    buffer_.insert(buffer_.end(), p, p + len);
  }
  pad();
}

void NetlinkWriter::putBe16(uint16_t type, uint16_t value) {
  uint16_t be = htons(value);
  put(type, &be, 2);
}

void NetlinkWriter::putBe32(uint16_t type, uint32_t value) {
  uint32_t be = htonl(value);
  put(type, &be, 4);
}

void NetlinkWriter::putBe64(uint16_t type, uint64_t value) {
  uint32_t halves[2] = {htonl(static_cast<uint32_t>(value >> 32)), htonl(static_cast<uint32_t>(value))};
  put(type, halves, 8);
}

void NetlinkWriter::putString(uint16_t type, const std::string& value) {
  put(type, value.c_str(), value.size() + 1);
}

size_t NetlinkWriter::nestBegin(uint16_t type) {
  size_t handle = buffer_.size();
  put(static_cast<uint16_t>(type | NLA_F_NESTED), nullptr, 0);
  return handle;
}

void NetlinkWriter::nestEnd(size_t handle) {
  uint16_t len = static_cast<uint16_t>(buffer_.size() - handle);
  std::memcpy(buffer_.data() + handle, &len, sizeof len);  // nla_len comes first
}

void NetlinkWriter::clear() {
  assert(!open_);
  buffer_.clear();
  messages_ = 0;
  awaited_.clear();
  firstSequence_ = nextSequence_;
}

}  // namespace minik::netagent
