#include "netagent/conntrack_flows.h"

#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <netinet/in.h>

#include <cerrno>
#include <cstring>

#include "netagent/netlink_channel.h"

namespace minik::netagent {

namespace {

struct Tuple {
  uint32_t src = 0, dst = 0;  // host order
  uint16_t srcPort = 0, dstPort = 0;
  uint8_t protocol = 0;
};

uint32_t be32At(const uint8_t* v) {
  uint32_t x;
  std::memcpy(&x, v, 4);
  return ntohl(x);
}

uint16_t be16At(const uint8_t* v) {
  uint16_t x;
  std::memcpy(&x, v, 2);
  return ntohs(x);
}

Tuple parseTuple(const uint8_t* data, size_t len) {
  Tuple t;
  forEachAttribute(data, len, [&](uint16_t type, const uint8_t* v, size_t n) {
    if (type == CTA_TUPLE_IP) {
      forEachAttribute(v, n, [&](uint16_t ipType, const uint8_t* a, size_t an) {
        if (an < 4) return;
        if (ipType == CTA_IP_V4_SRC) t.src = be32At(a);
        if (ipType == CTA_IP_V4_DST) t.dst = be32At(a);
      });
    } else if (type == CTA_TUPLE_PROTO) {
      forEachAttribute(v, n, [&](uint16_t pType, const uint8_t* a, size_t an) {
        if (pType == CTA_PROTO_NUM && an >= 1) t.protocol = a[0];
        if (pType == CTA_PROTO_SRC_PORT && an >= 2) t.srcPort = be16At(a);
        if (pType == CTA_PROTO_DST_PORT && an >= 2) t.dstPort = be16At(a);
      });
    }
  });
  return t;
}

bool matches(const NattedFlow& f, const Tuple& original, const Tuple& reply) {
  return (!f.originalDestination || f.originalDestination == original.dst) &&
         (!f.originalPort || f.originalPort == original.dstPort) && (!f.backend || f.backend == reply.src) &&
         (!f.backendPort || f.backendPort == reply.srcPort);
}

void beginMessage(NetlinkWriter& w, int type, uint16_t flags) {
  nfgenmsg header{};
  header.nfgen_family = AF_INET;
  header.version = NFNETLINK_V0;
  w.begin(static_cast<uint16_t>((NFNL_SUBSYS_CTNETLINK << 8) | type), flags, &header, sizeof header);
}

}  // namespace

int deleteUdpFlows(const std::vector<NattedFlow>& flows, std::string* error) {
  if (flows.empty()) return 0;
  auto channel = NetlinkChannel::open(NETLINK_NETFILTER, error);
  if (!channel) return -1;
  NetlinkWriter dump(channel->takeSequences(1));
  beginMessage(dump, IPCTNL_MSG_CT_GET, NLM_F_DUMP);
  dump.end();
  // Each doomed entry: its original tuple and zone, as the kernel sent them.
  struct Doomed {
    std::vector<uint8_t> original;
    bool hasZone = false;
    uint16_t zone = 0;
  };
  std::vector<Doomed> doomed;
  bool ok = channel->exchange(
      dump,
      [&](const nlmsghdr& message) {
        Tuple original, reply;
        Doomed d;
        forEachAttribute(message, sizeof(nfgenmsg), [&](uint16_t type, const uint8_t* v, size_t n) {
          if (type == CTA_TUPLE_ORIG) {
            original = parseTuple(v, n);
            d.original.assign(v, v + n);
          } else if (type == CTA_TUPLE_REPLY) {
            reply = parseTuple(v, n);
          } else if (type == CTA_ZONE && n >= 2) {
            d.hasZone = true;
            d.zone = be16At(v);
          }
        });
        if (original.protocol != IPPROTO_UDP) return;
        for (const NattedFlow& f : flows) {
          if (matches(f, original, reply)) {
            doomed.push_back(std::move(d));
            return;
          }
        }
      },
      error);
  if (!ok) return -1;
  if (doomed.empty()) return 0;
  NetlinkWriter deletes(channel->takeSequences(static_cast<uint32_t>(doomed.size())));
  for (const Doomed& d : doomed) {
    beginMessage(deletes, IPCTNL_MSG_CT_DELETE, NLM_F_ACK);
    // The kernel's own tuple, sent back verbatim.
    deletes.put(CTA_TUPLE_ORIG | NLA_F_NESTED, d.original.data(), d.original.size());
    if (d.hasZone) deletes.putBe16(CTA_ZONE, d.zone);
    deletes.end();
  }
  if (!channel->exchange(deletes, nullptr, error, [](uint32_t, int errnum) { return errnum == ENOENT; })) {
    return -1;
  }
  return static_cast<int>(doomed.size());
}

}  // namespace minik::netagent
