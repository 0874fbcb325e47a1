#include "netagent/dummy_interface.h"

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/socket.h>

#include <cerrno>
#include <cstring>

#include "netagent/netlink_channel.h"

namespace minik::netagent {

namespace {

// The index of a link by name, 0 when absent.
int linkIndex(nl_sock* sock, const std::string& name) {
  rtnl_link* link = nullptr;
  if (rtnl_link_get_kernel(sock, 0, name.c_str(), &link) < 0 || !link) return 0;
  int index = rtnl_link_get_ifindex(link);
  rtnl_link_put(link);
  return index;
}

void addressMessage(NetlinkWriter& w, int type, uint16_t flags, int index, uint32_t address) {
  ifaddrmsg header{};
  header.ifa_family = AF_INET;
  header.ifa_prefixlen = 32;
  header.ifa_scope = RT_SCOPE_UNIVERSE;
  header.ifa_index = static_cast<uint32_t>(index);
  w.begin(static_cast<uint16_t>(type), flags | NLM_F_ACK, &header, sizeof header);
  uint32_t be = htonl(address);
  w.put(IFA_LOCAL, &be, 4);
  w.put(IFA_ADDRESS, &be, 4);
  w.end();
}

}  // namespace

DummyInterface::DummyInterface(std::string name, int index, std::unique_ptr<NetlinkChannel> channel)
    : name_(std::move(name)), index_(index), channel_(std::move(channel)) {}

DummyInterface::~DummyInterface() = default;

std::unique_ptr<DummyInterface> DummyInterface::ensure(const std::string& name, std::string* error) {
  auto channel = NetlinkChannel::open(NETLINK_ROUTE, error);
  if (!channel) return nullptr;
  nl_sock* sock = channel->socket();
  int index = linkIndex(sock, name);
  if (index == 0) {
    rtnl_link* link = rtnl_link_alloc();
    rtnl_link_set_name(link, name.c_str());
    rtnl_link_set_type(link, "dummy");
    int rc = rtnl_link_add(sock, link, NLM_F_CREATE);
    rtnl_link_put(link);
    if (rc < 0 && rc != -NLE_EXIST) {
      *error = "cannot create dummy interface " + name + ": " + nl_geterror(rc) +
               " (the kernel needs CONFIG_DUMMY for IPVS mode)";
      return nullptr;
    }
    index = linkIndex(sock, name);
    if (index == 0) {
      *error = "dummy interface " + name + " vanished after creation";
      return nullptr;
    }
  }
  return std::unique_ptr<DummyInterface>(new DummyInterface(name, index, std::move(channel)));
}

bool DummyInterface::remove(const std::string& name, std::string* error) {
  nl_sock* sock = nl_socket_alloc();
  int rc = nl_connect(sock, NETLINK_ROUTE);
  if (rc >= 0) {
    rtnl_link* link = rtnl_link_alloc();
    rtnl_link_set_name(link, name.c_str());
    rc = rtnl_link_delete(sock, link);
    rtnl_link_put(link);
    if (rc == -NLE_OBJ_NOTFOUND || rc == -NLE_NODEV) rc = 0;
  }
  nl_socket_free(sock);
  if (rc < 0) {
    *error = "cannot delete interface " + name + ": " + nl_geterror(rc);
    return false;
  }
  return true;
}

bool DummyInterface::addresses(std::set<uint32_t>* out, std::string* error) {
  NetlinkWriter w(channel_->takeSequences(1));
  ifaddrmsg header{};
  header.ifa_family = AF_INET;
  w.begin(RTM_GETADDR, NLM_F_DUMP, &header, sizeof header);
  w.end();
  return channel_->exchange(
      w,
      [&](const nlmsghdr& message) {
        if (message.nlmsg_type != RTM_NEWADDR) return;
        const auto* ifa = static_cast<const ifaddrmsg*>(NLMSG_DATA(&message));
        if (static_cast<int>(ifa->ifa_index) != index_ || ifa->ifa_family != AF_INET) return;
        forEachAttribute(message, sizeof(ifaddrmsg), [&](uint16_t type, const uint8_t* v, size_t len) {
          if (type != IFA_LOCAL || len < 4) return;
          uint32_t be;
          std::memcpy(&be, v, 4);
          out->insert(ntohl(be));
        });
      },
      error);
}

bool DummyInterface::change(const std::vector<uint32_t>& add, const std::vector<uint32_t>& remove,
                            std::string* error) {
  if (add.empty() && remove.empty()) return true;
  NetlinkWriter w(channel_->takeSequences(static_cast<uint32_t>(add.size() + remove.size())));
  for (uint32_t a : remove) addressMessage(w, RTM_DELADDR, 0, index_, a);
  for (uint32_t a : add) addressMessage(w, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, index_, a);
  return channel_->exchange(w, nullptr, error, [](uint32_t, int errnum) {
    return errnum == EEXIST || errnum == EADDRNOTAVAIL;
  });
}

uint64_t DummyInterface::messagesSent() const { return channel_->messagesSent(); }

}  // namespace minik::netagent
