// IPVS generic netlink messages: what minik sends for virtual and real
// servers, read back with the parser minik uses on the kernel's dumps (the
// kernel answers in the same attribute layout).
#include <catch2/catch.hpp>

#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <linux/netlink.h>

#include <cstring>
#include <vector>

#include "netagent/ipvs_messages.h"
#include "netagent/netlink_channel.h"

using namespace minik::netagent;
using minik::formatIpv4;
using minik::parseIpv4;

namespace {

std::vector<const nlmsghdr*> messagesOf(const NetlinkWriter& w) {
  std::vector<const nlmsghdr*> out;
  size_t offset = 0;
  while (offset < w.size()) {
    const auto* h = reinterpret_cast<const nlmsghdr*>(w.bytes().data() + offset);
    out.push_back(h);
    offset += NLMSG_ALIGN(h->nlmsg_len);
  }
  return out;
}

uint8_t commandOf(const nlmsghdr* h) { return static_cast<const genlmsghdr*>(NLMSG_DATA(h))->cmd; }

IpvsService sticky() {
  IpvsService s;
  s.address = *parseIpv4("10.43.0.110");
  s.port = 53;
  s.protocol = L4Protocol::Udp;
  s.scheduler = "rr";
  s.persistenceSeconds = 60;
  return s;
}

}  // namespace

TEST_CASE("a virtual server and its real server round-trip through the message layout") {
  IpvsMessages messages(0x1d);
  NetlinkWriter w;
  messages.newService(w, sticky());
  messages.newDestination(w, sticky(), {*parseIpv4("10.42.0.11"), 5353, 0});
  auto all = messagesOf(w);
  REQUIRE(all.size() == 2);
  CHECK(all[0]->nlmsg_type == 0x1d);
  CHECK((all[0]->nlmsg_flags & NLM_F_ACK) != 0);
  CHECK(commandOf(all[0]) == IPVS_CMD_NEW_SERVICE);
  CHECK(commandOf(all[1]) == IPVS_CMD_NEW_DEST);
  CHECK(w.awaited().size() == 2);

  auto service = IpvsMessages::parseService(*all[0]);
  REQUIRE(service);
  CHECK(formatIpv4(service->address) == "10.43.0.110");
  CHECK(service->port == 53);
  CHECK(service->protocol == L4Protocol::Udp);
  CHECK(service->scheduler == "rr");
  CHECK(service->persistenceSeconds == 60);

  auto dest = IpvsMessages::parseDestination(*all[1]);
  REQUIRE(dest);
  CHECK(formatIpv4(dest->address) == "10.42.0.11");
  CHECK(dest->port == 5353);
  CHECK(dest->weight == 0);  // draining
}

TEST_CASE("a service without persistence reads back without a timeout") {
  IpvsMessages messages(0x1d);
  NetlinkWriter w;
  IpvsService s = sticky();
  s.persistenceSeconds = 0;
  s.protocol = L4Protocol::Tcp;
  messages.setService(w, s);
  auto parsed = IpvsMessages::parseService(*messagesOf(w)[0]);
  REQUIRE(parsed);
  CHECK(parsed->persistenceSeconds == 0);
  CHECK(parsed->protocol == L4Protocol::Tcp);
  CHECK(parsed->sameSettings(s));
}

TEST_CASE("deletes name a virtual server by its address, port and protocol only") {
  IpvsMessages messages(0x1d);
  NetlinkWriter w;
  messages.deleteService(w, sticky());
  messages.deleteDestination(w, sticky(), {*parseIpv4("10.42.0.11"), 5353, 1});
  auto all = messagesOf(w);
  CHECK(commandOf(all[0]) == IPVS_CMD_DEL_SERVICE);
  CHECK(commandOf(all[1]) == IPVS_CMD_DEL_DEST);
  std::vector<uint16_t> serviceAttributes;
  forEachAttribute(*all[0], GENL_HDRLEN, [&](uint16_t type, const uint8_t* v, size_t len) {
    CHECK(type == IPVS_CMD_ATTR_SERVICE);
    forEachAttribute(v, len, [&](uint16_t t, const uint8_t*, size_t) { serviceAttributes.push_back(t); });
  });
  CHECK(serviceAttributes == std::vector<uint16_t>{IPVS_SVC_ATTR_AF, IPVS_SVC_ATTR_PROTOCOL,
                                                   IPVS_SVC_ATTR_ADDR, IPVS_SVC_ATTR_PORT});
  auto parsed = IpvsMessages::parseService(*all[0]);
  REQUIRE(parsed);
  CHECK(parsed->identity() == sticky().identity());
}

TEST_CASE("dumps ask for every virtual server, then the real servers of one") {
  IpvsMessages messages(0x1d);
  NetlinkWriter w;
  messages.dumpServices(w);
  messages.dumpDestinations(w, sticky());
  auto all = messagesOf(w);
  CHECK((all[0]->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP);
  CHECK(commandOf(all[0]) == IPVS_CMD_GET_SERVICE);
  CHECK(commandOf(all[1]) == IPVS_CMD_GET_DEST);
  CHECK(IpvsMessages::parseService(*all[1])->identity() == sticky().identity());
}

TEST_CASE("an SCTP virtual server round-trips with its protocol") {
  IpvsMessages messages(0x1d);
  NetlinkWriter w;
  IpvsService s = sticky();
  s.protocol = L4Protocol::Sctp;
  s.port = 9999;
  messages.newService(w, s);
  auto parsed = IpvsMessages::parseService(*messagesOf(w)[0]);
  REQUIRE(parsed);
  CHECK(parsed->protocol == L4Protocol::Sctp);
  CHECK(parsed->identity() == s.identity());
}
