// netagent/netlink_writer.h — builds a run of netlink messages into one
// buffer, so that thousands of changes go to the kernel in one sendmsg (an
// nf_tables batch must arrive in one piece; generic netlink and ctnetlink
// handle every message of a buffer in turn).
//
// Contract:
//  - begin() opens a message, end() closes it; attributes and nests go in
//    between. Messages cannot nest; nests can.
//  - Sequence numbers are consecutive from the writer's first; the writer
//    remembers which messages expect an answer (NLM_F_ACK or NLM_F_DUMP) so
//    that a NetlinkChannel knows when the kernel has answered them all.
//  - Multi-byte values are written as the caller asks: put*Be for the
//    big-endian attributes of netfilter, put* in host order for the rest.
//  - Layout follows the kernel's NLMSG_ALIGN/NLA_ALIGN (4-byte alignment).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace minik::netagent {

class NetlinkWriter {
 public:
  explicit NetlinkWriter(uint32_t firstSequence = 1)
      : firstSequence_(firstSequence), nextSequence_(firstSequence) {}

  // Opens a message of type with flags (NLM_F_REQUEST is added) followed by
  // a family header of headerLen bytes; returns its sequence number.
  uint32_t begin(uint16_t type, uint16_t flags, const void* header, size_t headerLen);
  void end();
  // Adds NLM_F_ACK to the last closed message (so the kernel answers it).
  void ackLast();

  void put(uint16_t type, const void* data, size_t len);
  void putFlag(uint16_t type) { put(type, nullptr, 0); }
  void putU8(uint16_t type, uint8_t value) { put(type, &value, 1); }
  void putU16(uint16_t type, uint16_t value) { put(type, &value, 2); }
  void putU32(uint16_t type, uint32_t value) { put(type, &value, 4); }
  void putBe16(uint16_t type, uint16_t value);
  void putBe32(uint16_t type, uint32_t value);
  void putBe64(uint16_t type, uint64_t value);
  // NUL-terminated, as the kernel's NLA_STRING/NLA_NUL_STRING want.
  void putString(uint16_t type, const std::string& value);

  // Returns a handle for nestEnd.
  size_t nestBegin(uint16_t type);
  void nestEnd(size_t handle);

  const std::vector<uint8_t>& bytes() const { return buffer_; }
  size_t size() const { return buffer_.size(); }
  size_t messageCount() const { return messages_; }
  // Sequence numbers whose answer (ack, error or end of dump) must be read.
  const std::vector<uint32_t>& awaited() const { return awaited_; }
  uint32_t firstSequence() const { return firstSequence_; }
  uint32_t nextSequence() const { return nextSequence_; }
  void clear();

 private:
  void pad();

  std::vector<uint8_t> buffer_;
  size_t messageStart_ = 0;
  size_t lastStart_ = 0;
  bool open_ = false;
  size_t messages_ = 0;
  uint32_t firstSequence_;
  uint32_t nextSequence_;
  std::vector<uint32_t> awaited_;
};

}  // namespace minik::netagent
