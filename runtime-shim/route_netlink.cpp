#include "runtime-shim/route_netlink.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>
#include <netlink/socket.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <memory>

namespace minik {

namespace {

// libnl objects are reference counted; these drop the reference we hold.
struct LinkPut {
  void operator()(rtnl_link* link) const { rtnl_link_put(link); }
};
struct AddrPut {
  void operator()(nl_addr* address) const { nl_addr_put(address); }
};
using LinkRef = std::unique_ptr<rtnl_link, LinkPut>;
using AddrRef = std::unique_ptr<nl_addr, AddrPut>;

nl_sock* connectedSocket() {
  nl_sock* sock = nl_socket_alloc();
  if (!sock) return nullptr;
  if (nl_connect(sock, NETLINK_ROUTE) < 0) {
    nl_socket_free(sock);
    return nullptr;
  }
  return sock;
}

AddrRef ipv4(uint32_t address, int prefix) {
  uint32_t network = htonl(address);
  AddrRef out(nl_addr_build(AF_INET, &network, sizeof network));
  if (out) nl_addr_set_prefixlen(out.get(), prefix);
  return out;
}

// A change request naming the link by index only, so that nothing but the
// attributes set on it is sent.
LinkRef linkWithIndex(int index) {
  LinkRef link(rtnl_link_alloc());
  if (link) rtnl_link_set_ifindex(link.get(), index);
  return link;
}

}  // namespace

RouteNetlink::RouteNetlink() : sock_(connectedSocket()) {}

RouteNetlink RouteNetlink::openIn(const std::string& netnsPath, int* error) {
  *error = 0;
  int target = open(netnsPath.c_str(), O_RDONLY | O_CLOEXEC);
  int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (target < 0 || self < 0) {
    *error = errno;
    if (target >= 0) close(target);
    if (self >= 0) close(self);
    return RouteNetlink(nullptr);
  }
  nl_sock* sock = nullptr;
  // A socket stays in the namespace it was created in: step in, connect it,
  // step back out.
  if (setns(target, CLONE_NEWNET) == 0) {
    sock = connectedSocket();
    if (!sock) *error = errno ? errno : ENOMEM;
    if (setns(self, CLONE_NEWNET) != 0) abort();  // this thread would stay in the pod's namespace
  } else {
    *error = errno;
  }
  close(target);
  close(self);
  return RouteNetlink(sock);
}

RouteNetlink::~RouteNetlink() {
  if (sock_) nl_socket_free(sock_);
}

RouteNetlink::RouteNetlink(RouteNetlink&& other) noexcept : sock_(other.sock_) { other.sock_ = nullptr; }

std::string RouteNetlink::describe(int error) { return nl_geterror(error); }

bool RouteNetlink::alreadyExists(int error) { return error == -NLE_EXIST; }

int RouteNetlink::linkIndex(const std::string& name) {
  // The socket's namespace may differ from the thread's: ask the kernel over
  // the socket rather than if_nametoindex().
  rtnl_link* found = nullptr;
  if (!sock_ || rtnl_link_get_kernel(sock_, 0, name.c_str(), &found) < 0 || !found) return 0;
  LinkRef link(found);
  return rtnl_link_get_ifindex(link.get());
}

int RouteNetlink::createBridge(const std::string& name) {
  LinkRef link(rtnl_link_bridge_alloc());
  if (!link) return -NLE_NOMEM;
  rtnl_link_set_name(link.get(), name.c_str());
  return rtnl_link_add(sock_, link.get(), NLM_F_CREATE | NLM_F_EXCL);
}

int RouteNetlink::createVethPair(const std::string& hostName, const std::string& peerName, int peerNetnsFd) {
  LinkRef link(rtnl_link_veth_alloc());
  if (!link) return -NLE_NOMEM;
  rtnl_link_set_name(link.get(), hostName.c_str());
  LinkRef peer(rtnl_link_veth_get_peer(link.get()));  // a reference of its own
  rtnl_link_set_name(peer.get(), peerName.c_str());
  rtnl_link_set_ns_fd(peer.get(), peerNetnsFd);
  return rtnl_link_add(sock_, link.get(), NLM_F_CREATE | NLM_F_EXCL);
}

int RouteNetlink::setUp(int index) {
  LinkRef current = linkWithIndex(index), change(rtnl_link_alloc());
  if (!current || !change) return -NLE_NOMEM;
  rtnl_link_set_flags(change.get(), IFF_UP);
  return rtnl_link_change(sock_, current.get(), change.get(), 0);
}

int RouteNetlink::setMaster(int index, int masterIndex) {
  return rtnl_link_enslave_ifindex(sock_, masterIndex, index);
}

int RouteNetlink::setHairpin(int index) {
  // The bridge's own setlink (family AF_BRIDGE, IFLA_PROTINFO), as
  // `bridge link set dev X hairpin on` does. rtnl_link_change() cannot be
  // used: it sends RTM_NEWLINK, which the kernel hands to the generic
  // handler, and that ignores bridge port attributes without an error.
  nl_msg* message = nlmsg_alloc_simple(RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK);
  if (!message) return -NLE_NOMEM;
  ifinfomsg header{};
  header.ifi_family = AF_BRIDGE;
  header.ifi_index = index;
  int error = nlmsg_append(message, &header, sizeof header, NLMSG_ALIGNTO);
  nlattr* port = error < 0 ? nullptr : nla_nest_start(message, IFLA_PROTINFO | NLA_F_NESTED);
  if (!port || nla_put_u8(message, IFLA_BRPORT_MODE, 1) < 0) {
    nlmsg_free(message);
    return -NLE_NOMEM;
  }
  nla_nest_end(message, port);
  return nl_send_sync(sock_, message);  // frees message
}

int RouteNetlink::deleteLink(int index) {
  LinkRef link = linkWithIndex(index);
  if (!link) return -NLE_NOMEM;
  return rtnl_link_delete(sock_, link.get());
}

int RouteNetlink::addAddress(int index, uint32_t address, int prefix) {
  std::unique_ptr<rtnl_addr, void (*)(rtnl_addr*)> request(rtnl_addr_alloc(), rtnl_addr_put);
  uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  AddrRef local = ipv4(address, prefix), broadcast = ipv4(address | ~mask, 32);
  if (!request || !local || !broadcast) return -NLE_NOMEM;
  rtnl_addr_set_ifindex(request.get(), index);
  rtnl_addr_set_family(request.get(), AF_INET);
  int error = rtnl_addr_set_local(request.get(), local.get());  // also sets the prefix length
  if (error == 0) error = rtnl_addr_set_broadcast(request.get(), broadcast.get());
  if (error == 0) error = rtnl_addr_add(sock_, request.get(), NLM_F_EXCL);
  return error == -NLE_EXIST ? 0 : error;
}

int RouteNetlink::addDefaultRoute(uint32_t gateway, int index) {
  std::unique_ptr<rtnl_route, void (*)(rtnl_route*)> route(rtnl_route_alloc(), rtnl_route_put);
  AddrRef anywhere = ipv4(0, 0), via = ipv4(gateway, 32);
  rtnl_nexthop* hop = rtnl_route_nh_alloc();
  if (!route || !anywhere || !via || !hop) {
    if (hop) rtnl_route_nh_free(hop);
    return -NLE_NOMEM;
  }
  rtnl_route_set_family(route.get(), AF_INET);
  rtnl_route_set_table(route.get(), RT_TABLE_MAIN);
  rtnl_route_set_protocol(route.get(), RTPROT_BOOT);
  rtnl_route_set_scope(route.get(), RT_SCOPE_UNIVERSE);
  rtnl_route_set_type(route.get(), RTN_UNICAST);
  rtnl_route_set_dst(route.get(), anywhere.get());
  rtnl_route_nh_set_gateway(hop, via.get());
  rtnl_route_nh_set_ifindex(hop, index);
  rtnl_route_add_nexthop(route.get(), hop);  // the route owns it now
  int error = rtnl_route_add(sock_, route.get(), NLM_F_EXCL);
  return error == -NLE_EXIST ? 0 : error;
}

}  // namespace minik
