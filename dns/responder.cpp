#include "dns/responder.h"

#include <cstring>

#include "dns/resolver.h"

namespace minik::dns {

const Zone* Responder::zone() {
  uint64_t generation = zones_.generation();
  if (generation != generation_) {
    zone_ = zones_.current();
    generation_ = generation;
  }
  return zone_.get();
}

Responder::Outcome Responder::respond(const uint8_t* packet, size_t length, const ReplyRoute& route,
                                      uint8_t* out, size_t capacity, size_t* outLength) {
  Query& q = query_;
  ParseResult parsed = parseQuery(packet, length, &q);
  if (parsed == ParseResult::Drop) return Outcome::Drop;
  if (parsed == ParseResult::NotImp || (parsed == ParseResult::FormErr && !q.hasQuestion)) {
    *outLength = writeHeaderOnly(q, parsed == ParseResult::NotImp ? kNotImp : kFormErr, out, capacity);
    return *outLength ? Outcome::Reply : Outcome::Drop;
  }
  size_t limit = route.tcp ? kMaxMessageSize : q.udpLimit();
  MessageWriter w(out, capacity);
  w.begin(q, packet, limit);
  bool recursion = recursionClients_.allows(reinterpret_cast<const sockaddr*>(&route.address));
  w.setRecursionAvailable(recursion);
  auto finish = [&](uint16_t rcode) {
    w.setRcode(rcode);
    *outLength = w.finish();
    return Outcome::Reply;
  };
  if (parsed == ParseResult::FormErr) return finish(kFormErr);
  if (parsed == ParseResult::BadVersion) return finish(kBadVers);
  if (q.klass != kClassIN && q.klass != kClassANY) return finish(kRefused);
  if (q.type == kTypeOPT) return finish(kFormErr);
  if (q.type == kTypeAXFR || q.type == kTypeIXFR) return finish(kRefused);
  if (q.type >= 128 && q.type != kTypeANY) return finish(kNotImp);

  const Zone* z = zone();
  Resolution r = z ? resolve(*z, q, w) : Resolution{Resolution::Forward, nullptr};
  if (r.kind == Resolution::Answered) {
    *outLength = w.finish();
    return Outcome::Reply;
  }
  if (r.kind == Resolution::Chase && inZone(*z, r.target)) {
    chaseInZone(*z, q, r.target, w);
    *outLength = w.finish();
    return Outcome::Reply;
  }
  if (r.kind == Resolution::Chase) {
    // Without recursion for this client, the CNAME alone is the answer.
    if (recursion && forwarder_ && forwarder_->forward(q, packet, route, r.target)) return Outcome::Pending;
    *outLength = w.finish();
    return Outcome::Reply;
  }
  if (!recursion) return finish(kRefused);
  if (!forwarder_ || !forwarder_->hasUpstreams()) return finish(kServFail);
  size_t cached = forwarder_->fromCache(q, packet, limit, out, capacity);
  if (cached) {
    *outLength = cached;
    return Outcome::Reply;
  }
  if (forwarder_->forward(q, packet, route)) return Outcome::Pending;
  return finish(kServFail);
}

void Responder::chaseInZone(const Zone& zone, const Query& q, const uint8_t* target, MessageWriter& w) {
  uint8_t packet[kHeaderSize + kMaxNameLength + 4] = {0};
  size_t nameLength = 0;
  while (target[nameLength] != 0) nameLength += size_t(target[nameLength]) + 1;
  ++nameLength;
  writeU16(packet + 4, 1);
  std::memcpy(packet + kHeaderSize, target, nameLength);
  writeU16(packet + kHeaderSize + nameLength, q.type);
  writeU16(packet + kHeaderSize + nameLength + 2, kClassIN);
  if (parseQuery(packet, kHeaderSize + nameLength + 4, &chaseQuery_) != ParseResult::Ok) return;
  MessageWriter inner(chaseBuffer_, sizeof chaseBuffer_);
  inner.begin(chaseQuery_, packet, sizeof chaseBuffer_);
  // One level only: a CNAME to another ExternalName is left to the client.
  if (resolve(zone, chaseQuery_, inner).kind != Resolution::Answered) return;
  size_t n = inner.finish();
  copyAnswers(chaseBuffer_, n, w);
  if (inner.rcode() == kNxDomain) w.setRcode(kNxDomain);
}

}  // namespace minik::dns
