// libFuzzer target: any bytes, as a query from a client and as an upstream
// response, through everything that reads packets (tests/integration/
// dns_fuzz.sh builds it with clang -fsanitize=fuzzer,address,undefined).
//
// Beyond "no crash, no out-of-bounds read": every response fits the limit
// the query allowed and is a well-formed message, and what the cache serves
// is well formed and carries the asker's id.
#include <sys/socket.h>
#include <netinet/in.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "dns/answer_cache.h"
#include "dns/client_ranges.h"
#include "dns/resolver.h"
#include "dns/responder.h"
#include "dns/wire.h"
#include "dns/zone.h"

using namespace minik::dns;

namespace {

std::shared_ptr<const Zone> makeZone() {
  ZoneWriter w("cluster.local", 1, 30);
  w.setDnsAddress(Address::parse("10.43.0.10"));
  w.addService("dev", "ent", ServiceKind::ClusterIp);
  w.addClusterAddress(Address::parse("10.43.1.1"));
  w.addServicePort("http", "tcp", 80);
  w.addService("dev", "db", ServiceKind::Headless);
  w.addServicePort("pg", "tcp", 5432);
  w.beginEndpointPorts();
  w.addEndpointPort("pg", "tcp", 5432);
  for (int i = 0; i < 60; ++i) {
    w.addEndpoint(i % 2 ? "" : "db-" + std::to_string(i), Address::parse("10.42.0." + std::to_string(i + 1)));
  }
  w.addService("dev", "ext", ServiceKind::ExternalName, "www.example.com");
  w.addService("dev", "v6", ServiceKind::ClusterIp);
  w.addClusterAddress(Address::parse("fd00::5"));
  return w.finish();
}

void fail(const char* what, int line) {
  std::fprintf(stderr, "dns_packet_fuzz.cpp:%d: %s\n", line, what);
  std::abort();
}
#define check(condition) ((condition) ? (void)0 : fail(#condition, __LINE__))

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static ZoneSlot* slot = [] {
    auto* s = new ZoneSlot;
    s->publish(makeZone());
    return s;
  }();
  static ClientRanges* ranges = [] {
    auto* r = new ClientRanges;
    r->add("127.0.0.0/8");
    return r;
  }();
  static Responder* responder = new Responder(*slot, nullptr, *ranges);
  static std::vector<uint8_t> out(kMaxMessageSize);
  static AnswerCache* cache = new AnswerCache(64, 30);

  // As a query, over UDP and over TCP.
  for (bool tcp : {false, true}) {
    ReplyRoute route;
    route.tcp = tcp;
    auto* in4 = reinterpret_cast<sockaddr_in*>(&route.address);
    in4->sin_family = AF_INET;
    in4->sin_addr.s_addr = htonl(0x7F000001);
    size_t length = 0;
    std::vector<uint8_t> packet(data, data + size);  // exact size: ASan sees overreads
    Responder::Outcome outcome =
        responder->respond(packet.data(), packet.size(), route, out.data(), out.size(), &length);
    if (outcome != Responder::Outcome::Reply) continue;
    Query q;
    ParseResult parsed = parseQuery(packet.data(), packet.size(), &q);
    size_t limit = tcp ? kMaxMessageSize : (parsed == ParseResult::Ok ? q.udpLimit() : kPlainUdpSize);
    check(length >= kHeaderSize && length <= limit);
    check(forEachTtl(out.data(), length, [](uint8_t*, uint16_t) {}));
    check(readU16(out.data()) == readU16(packet.data()));
  }

  // As an upstream response: the operations the forwarder applies to one.
  std::vector<uint8_t> response(data, data + size);
  forEachTtl(response.data(), response.size(), [](uint8_t* ttl, uint16_t) { writeU32(ttl, readU32(ttl) / 2); });
  size_t stripped = removeOpt(response.data(), response.size());
  check(stripped <= size);
  uint8_t query[] = {0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'e', 'x', 't', 3, 'd', 'e', 'v', 3, 's', 'v', 'c',
                     7, 'c', 'l', 'u', 's', 't', 'e', 'r', 5, 'l', 'o', 'c', 'a', 'l', 0, 0, 1, 0, 1};
  Query q;
  check(parseQuery(query, sizeof query, &q) == ParseResult::Ok);
  MessageWriter w(out.data(), 1232);
  w.begin(q, query, 1232);
  copyAnswers(response.data(), stripped, w);
  size_t n = w.finish();
  check(n <= 1232 && forEachTtl(out.data(), n, [](uint8_t*, uint16_t) {}));

  // Every input shares the query's key: a hit may be an earlier input's.
  cache->store(q, response.data(), stripped, 0);
  size_t cached = cache->lookup(q, query, 1000, out.data(), out.size());
  if (cached) check(readU16(out.data()) == 7 && forEachTtl(out.data(), cached, [](uint8_t*, uint16_t) {}));
  return 0;
}
