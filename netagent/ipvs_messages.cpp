#include "netagent/ipvs_messages.h"

#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>

#include <cstring>

#include "netagent/netlink_channel.h"

namespace minik::netagent {

namespace {

// IPVS takes addresses as a 16-byte union nf_inet_addr.
void putAddress(NetlinkWriter& w, uint16_t type, uint32_t address) {
  uint8_t bytes[16] = {0};
  uint32_t be = htonl(address);
  std::memcpy(bytes, &be, 4);
  w.put(type, bytes, sizeof bytes);
}

template <typename T>
bool read(const uint8_t* v, size_t len, T* out) {
  if (len < sizeof(T)) return false;
  std::memcpy(out, v, sizeof(T));
  return true;
}

// The nested attribute of type outer in a generic netlink reply.
bool nestedOf(const nlmsghdr& reply, uint16_t outer, const uint8_t** data, size_t* len) {
  bool found = false;
  forEachAttribute(reply, GENL_HDRLEN, [&](uint16_t type, const uint8_t* v, size_t n) {
    if (type == outer) {
      *data = v;
      *len = n;
      found = true;
    }
  });
  return found;
}

}  // namespace

void IpvsMessages::begin(NetlinkWriter& w, uint8_t command, uint16_t flags) const {
  genlmsghdr header{};
  header.cmd = command;
  header.version = IPVS_GENL_VERSION;
  w.begin(family_, flags, &header, sizeof header);
}

void IpvsMessages::putService(NetlinkWriter& w, const IpvsService& s, bool full) const {
  size_t nest = w.nestBegin(IPVS_CMD_ATTR_SERVICE);
  w.putU16(IPVS_SVC_ATTR_AF, AF_INET);
  w.putU16(IPVS_SVC_ATTR_PROTOCOL, static_cast<uint16_t>(s.protocol));
  putAddress(w, IPVS_SVC_ATTR_ADDR, s.address);
  w.putBe16(IPVS_SVC_ATTR_PORT, s.port);
  if (full) {
    w.putString(IPVS_SVC_ATTR_SCHED_NAME, s.scheduler);
    ip_vs_flags flags{};
    flags.flags = s.persistenceSeconds ? IP_VS_SVC_F_PERSISTENT : 0;
    flags.mask = ~0u;
    w.put(IPVS_SVC_ATTR_FLAGS, &flags, sizeof flags);
    w.putU32(IPVS_SVC_ATTR_TIMEOUT, s.persistenceSeconds);
    w.putBe32(IPVS_SVC_ATTR_NETMASK, 0xffffffffu);
  }
  w.nestEnd(nest);
}

void IpvsMessages::putDestination(NetlinkWriter& w, const IpvsDestination& d) const {
  size_t nest = w.nestBegin(IPVS_CMD_ATTR_DEST);
  putAddress(w, IPVS_DEST_ATTR_ADDR, d.address);
  w.putBe16(IPVS_DEST_ATTR_PORT, d.port);
  w.putU32(IPVS_DEST_ATTR_FWD_METHOD, IP_VS_CONN_F_MASQ);
  w.putU32(IPVS_DEST_ATTR_WEIGHT, d.weight);
  w.putU32(IPVS_DEST_ATTR_U_THRESH, 0);
  w.putU32(IPVS_DEST_ATTR_L_THRESH, 0);
  w.putU16(IPVS_DEST_ATTR_ADDR_FAMILY, AF_INET);
  w.nestEnd(nest);
}

void IpvsMessages::newService(NetlinkWriter& w, const IpvsService& s) const {
  begin(w, IPVS_CMD_NEW_SERVICE, NLM_F_ACK);
  putService(w, s, true);
  w.end();
}

void IpvsMessages::setService(NetlinkWriter& w, const IpvsService& s) const {
  begin(w, IPVS_CMD_SET_SERVICE, NLM_F_ACK);
  putService(w, s, true);
  w.end();
}

void IpvsMessages::deleteService(NetlinkWriter& w, const IpvsService& s) const {
  begin(w, IPVS_CMD_DEL_SERVICE, NLM_F_ACK);
  putService(w, s, false);
  w.end();
}

void IpvsMessages::newDestination(NetlinkWriter& w, const IpvsService& s, const IpvsDestination& d) const {
  begin(w, IPVS_CMD_NEW_DEST, NLM_F_ACK);
  putService(w, s, false);
  putDestination(w, d);
  w.end();
}

void IpvsMessages::setDestination(NetlinkWriter& w, const IpvsService& s, const IpvsDestination& d) const {
  begin(w, IPVS_CMD_SET_DEST, NLM_F_ACK);
  putService(w, s, false);
  putDestination(w, d);
  w.end();
}

void IpvsMessages::deleteDestination(NetlinkWriter& w, const IpvsService& s, const IpvsDestination& d) const {
  begin(w, IPVS_CMD_DEL_DEST, NLM_F_ACK);
  putService(w, s, false);
  size_t nest = w.nestBegin(IPVS_CMD_ATTR_DEST);
  putAddress(w, IPVS_DEST_ATTR_ADDR, d.address);
  w.putBe16(IPVS_DEST_ATTR_PORT, d.port);
  w.nestEnd(nest);
  w.end();
}

void IpvsMessages::dumpServices(NetlinkWriter& w) const {
  begin(w, IPVS_CMD_GET_SERVICE, NLM_F_DUMP);
  w.end();
}

void IpvsMessages::dumpDestinations(NetlinkWriter& w, const IpvsService& s) const {
  begin(w, IPVS_CMD_GET_DEST, NLM_F_DUMP);
  putService(w, s, false);
  w.end();
}

std::optional<IpvsService> IpvsMessages::parseService(const nlmsghdr& reply) {
  const uint8_t* data;
  size_t len;
  if (!nestedOf(reply, IPVS_CMD_ATTR_SERVICE, &data, &len)) return std::nullopt;
  IpvsService s;
  uint16_t af = 0, protocol = 0;
  bool hasAddress = false;
  bool persistent = false;
  forEachAttribute(data, len, [&](uint16_t type, const uint8_t* v, size_t n) {
    uint32_t be32;
    uint16_t be16;
    switch (type) {
      case IPVS_SVC_ATTR_AF: read(v, n, &af); break;
      case IPVS_SVC_ATTR_PROTOCOL: read(v, n, &protocol); break;
      case IPVS_SVC_ATTR_ADDR:
        if (read(v, n, &be32)) {
          s.address = ntohl(be32);
          hasAddress = true;
        }
        break;
      case IPVS_SVC_ATTR_PORT:
        if (read(v, n, &be16)) s.port = ntohs(be16);
        break;
      case IPVS_SVC_ATTR_SCHED_NAME:
        s.scheduler.assign(reinterpret_cast<const char*>(v), strnlen(reinterpret_cast<const char*>(v), n));
        break;
      case IPVS_SVC_ATTR_FLAGS: {
        ip_vs_flags flags;
        persistent = read(v, n, &flags) && (flags.flags & IP_VS_SVC_F_PERSISTENT);
        break;
      }
      case IPVS_SVC_ATTR_TIMEOUT: read(v, n, &s.persistenceSeconds); break;
    }
  });
  // The timeout is reported whether the service is persistent or not.
  if (!persistent) s.persistenceSeconds = 0;
  if (af != AF_INET || !hasAddress) return std::nullopt;
  if (protocol != 6 && protocol != 17 && protocol != 132) return std::nullopt;  // fwmark services
  s.protocol = static_cast<L4Protocol>(protocol);
  return s;
}

std::optional<IpvsDestination> IpvsMessages::parseDestination(const nlmsghdr& reply) {
  const uint8_t* data;
  size_t len;
  if (!nestedOf(reply, IPVS_CMD_ATTR_DEST, &data, &len)) return std::nullopt;
  IpvsDestination d;
  bool hasAddress = false;
  forEachAttribute(data, len, [&](uint16_t type, const uint8_t* v, size_t n) {
    uint32_t be32;
    uint16_t be16;
    if (type == IPVS_DEST_ATTR_ADDR && read(v, n, &be32)) {
      d.address = ntohl(be32);
      hasAddress = true;
    }
    if (type == IPVS_DEST_ATTR_PORT && read(v, n, &be16)) d.port = ntohs(be16);
    if (type == IPVS_DEST_ATTR_WEIGHT) read(v, n, &d.weight);
  });
  if (!hasAddress) return std::nullopt;
  return d;
}

}  // namespace minik::netagent
