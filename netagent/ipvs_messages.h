// netagent/ipvs_messages.h — IPVS generic netlink messages (uapi
// <linux/ip_vs.h>, family "IPVS"), built on a NetlinkWriter so that the
// changes for many virtual servers go to the kernel in one sendmsg, and the
// replies of its dumps parsed back. Pure: sends nothing.
//
// Contract: IPv4 only; forwarding is always masquerade (NAT); every command
// asks for an ack so that each error names its message.
#pragma once

#include <linux/netlink.h>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "netagent/netlink_writer.h"
#include "netagent/service_views.h"

namespace minik::netagent {

struct IpvsService {
  uint32_t address = 0;  // host byte order
  uint16_t port = 0;
  L4Protocol protocol = L4Protocol::Tcp;
  std::string scheduler = "rr";
  uint32_t persistenceSeconds = 0;  // 0: not persistent

  auto identity() const { return std::make_tuple(address, port, static_cast<uint8_t>(protocol)); }
  bool operator<(const IpvsService& o) const { return identity() < o.identity(); }
  bool sameSettings(const IpvsService& o) const {
    return scheduler == o.scheduler && persistenceSeconds == o.persistenceSeconds;
  }
};

struct IpvsDestination {
  uint32_t address = 0;
  uint16_t port = 0;
  uint32_t weight = 1;
};

class IpvsMessages {
 public:
  explicit IpvsMessages(uint16_t family) : family_(family) {}

  void newService(NetlinkWriter& w, const IpvsService& s) const;
  void setService(NetlinkWriter& w, const IpvsService& s) const;
  void deleteService(NetlinkWriter& w, const IpvsService& s) const;
  void newDestination(NetlinkWriter& w, const IpvsService& s, const IpvsDestination& d) const;
  void setDestination(NetlinkWriter& w, const IpvsService& s, const IpvsDestination& d) const;
  void deleteDestination(NetlinkWriter& w, const IpvsService& s, const IpvsDestination& d) const;
  void dumpServices(NetlinkWriter& w) const;
  void dumpDestinations(NetlinkWriter& w, const IpvsService& s) const;

  // A reply of dumpServices / dumpDestinations; nothing for other families
  // (IPv6 services) or malformed replies.
  static std::optional<IpvsService> parseService(const nlmsghdr& reply);
  static std::optional<IpvsDestination> parseDestination(const nlmsghdr& reply);

 private:
  void begin(NetlinkWriter& w, uint8_t command, uint16_t flags) const;
  void putService(NetlinkWriter& w, const IpvsService& s, bool full) const;
  void putDestination(NetlinkWriter& w, const IpvsDestination& d) const;

  uint16_t family_;
};

}  // namespace minik::netagent
