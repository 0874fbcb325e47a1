#include "netagent/service_route.h"

#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/route.h>
#include <netlink/socket.h>

namespace minik::netagent {

namespace {

// Runs op on a route object describing minik's service route.
bool withServiceRoute(const std::string& serviceCidr, std::string* error,
                      int (*op)(nl_sock*, rtnl_route*)) {
  nl_sock* sock = nl_socket_alloc();
  nl_addr* dst = nullptr;
  rtnl_route* route = nullptr;
  bool ok = false;
  int rc = nl_connect(sock, NETLINK_ROUTE);
  if (rc < 0) {
    *error = std::string("route socket: ") + nl_geterror(rc);
  } else if ((rc = nl_addr_parse(serviceCidr.c_str(), AF_INET, &dst)) < 0) {
    *error = "service CIDR " + serviceCidr + ": " + nl_geterror(rc);
  } else {
    route = rtnl_route_alloc();
    rtnl_route_set_family(route, AF_INET);
    rtnl_route_set_dst(route, dst);
    rtnl_route_set_table(route, RT_TABLE_LOCAL);
    rtnl_route_set_type(route, RTN_LOCAL);
    rtnl_route_set_scope(route, RT_SCOPE_HOST);
    rtnl_route_set_protocol(route, kMinikRouteProtocol);
    rtnl_nexthop* hop = rtnl_route_nh_alloc();
    rtnl_route_nh_set_ifindex(hop, static_cast<int>(if_nametoindex("lo")));
    rtnl_route_add_nexthop(route, hop);
    rc = op(sock, route);
    ok = rc >= 0;
    if (!ok) *error = "local route for " + serviceCidr + ": " + nl_geterror(rc);
  }
  if (route) rtnl_route_put(route);
  if (dst) nl_addr_put(dst);
  nl_socket_free(sock);
  return ok;
}

}  // namespace

bool installServiceRoute(const std::string& serviceCidr, std::string* error) {
  return withServiceRoute(serviceCidr, error, [](nl_sock* sock, rtnl_route* route) {
    return rtnl_route_add(sock, route, NLM_F_CREATE | NLM_F_REPLACE);
  });
}

bool removeServiceRoute(const std::string& serviceCidr, std::string* error) {
  return withServiceRoute(serviceCidr, error, [](nl_sock* sock, rtnl_route* route) {
    int rc = rtnl_route_delete(sock, route, 0);
    return rc == -NLE_OBJ_NOTFOUND ? 0 : rc;
  });
}

}  // namespace minik::netagent
