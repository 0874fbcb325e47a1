#include "runtime-shim/route_netlink.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace minik {

namespace {

// A request under construction: header, fixed part, then attributes;
// nested attributes are opened and closed around their children.
class Message {
 public:
  Message(uint16_t type, uint16_t flags) {
    header()->nlmsg_type = type;
    header()->nlmsg_flags = static_cast<uint16_t>(NLM_F_REQUEST | NLM_F_ACK | flags);
    length_ = NLMSG_HDRLEN;
  }
  nlmsghdr* header() { return reinterpret_cast<nlmsghdr*>(buffer_); }
  template <typename T>
  T* fixed() {
    auto* p = reinterpret_cast<T*>(buffer_ + length_);
    length_ += NLMSG_ALIGN(sizeof(T));
    return p;
  }
  void attribute(uint16_t type, const void* data, size_t size) {
    auto* a = reinterpret_cast<rtattr*>(buffer_ + length_);
    a->rta_type = type;
    a->rta_len = static_cast<uint16_t>(RTA_LENGTH(size));
    if (size) std::memcpy(RTA_DATA(a), data, size);
    length_ += RTA_ALIGN(a->rta_len);
  }
  void attribute(uint16_t type, const std::string& text) { attribute(type, text.c_str(), text.size() + 1); }
  void attribute32(uint16_t type, uint32_t value) { attribute(type, &value, sizeof value); }
  size_t open(uint16_t type) {
    size_t at = length_;
    attribute(type, nullptr, 0);
    return at;
  }
  void close(size_t at) {
    reinterpret_cast<rtattr*>(buffer_ + at)->rta_len = static_cast<uint16_t>(length_ - at);
  }
  // Raw bytes inside a nested attribute (veth's peer ifinfomsg).
  template <typename T>
  T* raw() {
    auto* p = reinterpret_cast<T*>(buffer_ + length_);
    length_ += NLMSG_ALIGN(sizeof(T));
    return p;
  }
  size_t finish() {
    header()->nlmsg_len = static_cast<uint32_t>(length_);
    return length_;
  }

 private:
  alignas(nlmsghdr) char buffer_[1024] = {};
  size_t length_ = 0;
};

int openSocket() {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) return -1;
  sockaddr_nl local{};
  local.nl_family = AF_NETLINK;
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

RouteNetlink::RouteNetlink() : fd_(openSocket()) {}

RouteNetlink RouteNetlink::openIn(const std::string& netnsPath, int* error) {
  *error = 0;
  int target = open(netnsPath.c_str(), O_RDONLY | O_CLOEXEC);
  int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (target < 0 || self < 0) {
    *error = errno;
    if (target >= 0) ::close(target);
    if (self >= 0) ::close(self);
    return RouteNetlink(-1);
  }
  int fd = -1;
  // A socket stays in the namespace it was created in: step in, create it,
  // step back out.
  if (setns(target, CLONE_NEWNET) == 0) {
    fd = openSocket();
    if (fd < 0) *error = errno;
    if (setns(self, CLONE_NEWNET) != 0) abort();  // this thread would stay in the pod's namespace
  } else {
    *error = errno;
  }
  ::close(target);
  ::close(self);
  return RouteNetlink(fd);
}

RouteNetlink::~RouteNetlink() {
  if (fd_ >= 0) ::close(fd_);
}

RouteNetlink::RouteNetlink(RouteNetlink&& other) noexcept : fd_(other.fd_), sequence_(other.sequence_) {
  other.fd_ = -1;
}

int RouteNetlink::request(void* message, size_t length) {
  if (fd_ < 0) return EBADF;
  auto* header = static_cast<nlmsghdr*>(message);
  header->nlmsg_seq = ++sequence_;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (sendto(fd_, message, length, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) < 0) return errno;
  alignas(nlmsghdr) char reply[8192];
  for (;;) {
    ssize_t n = recv(fd_, reply, sizeof reply, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    for (auto* h = reinterpret_cast<nlmsghdr*>(reply); NLMSG_OK(h, static_cast<size_t>(n));
         h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_seq != sequence_) continue;
      if (h->nlmsg_type == NLMSG_ERROR) {
        auto* e = static_cast<nlmsgerr*>(NLMSG_DATA(h));
        return -e->error;
      }
    }
  }
}

int RouteNetlink::linkIndex(const std::string& name) {
  // The socket's namespace may differ from the thread's: ask the kernel over
  // the socket rather than if_nametoindex().
  Message m(RTM_GETLINK, 0);
  m.header()->nlmsg_flags = NLM_F_REQUEST;
  auto* info = m.fixed<ifinfomsg>();
  info->ifi_family = AF_UNSPEC;
  m.attribute(IFLA_IFNAME, name);
  size_t length = m.finish();
  m.header()->nlmsg_seq = ++sequence_;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (fd_ < 0 || sendto(fd_, m.header(), length, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) < 0) {
    return 0;
  }
  alignas(nlmsghdr) char reply[16384];
  for (;;) {
    ssize_t n = recv(fd_, reply, sizeof reply, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return 0;
    }
    for (auto* h = reinterpret_cast<nlmsghdr*>(reply); NLMSG_OK(h, static_cast<size_t>(n));
         h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_seq != sequence_) continue;
      if (h->nlmsg_type == NLMSG_ERROR) return 0;
      if (h->nlmsg_type == RTM_NEWLINK) return static_cast<ifinfomsg*>(NLMSG_DATA(h))->ifi_index;
    }
  }
}

int RouteNetlink::createBridge(const std::string& name) {
  Message m(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
  m.fixed<ifinfomsg>()->ifi_family = AF_UNSPEC;
  m.attribute(IFLA_IFNAME, name);
  size_t linkinfo = m.open(IFLA_LINKINFO);
  m.attribute(IFLA_INFO_KIND, "bridge", 6);
  m.close(linkinfo);
  return request(m.header(), m.finish());
}

int RouteNetlink::createVethPair(const std::string& hostName, const std::string& peerName, int peerNetnsFd) {
  Message m(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
  m.fixed<ifinfomsg>()->ifi_family = AF_UNSPEC;
  m.attribute(IFLA_IFNAME, hostName);
  size_t linkinfo = m.open(IFLA_LINKINFO);
  m.attribute(IFLA_INFO_KIND, "veth", 4);
  size_t data = m.open(IFLA_INFO_DATA);
  size_t peer = m.open(VETH_INFO_PEER);
  m.raw<ifinfomsg>()->ifi_family = AF_UNSPEC;
  m.attribute(IFLA_IFNAME, peerName);
  m.attribute32(IFLA_NET_NS_FD, static_cast<uint32_t>(peerNetnsFd));
  m.close(peer);
  m.close(data);
  m.close(linkinfo);
  return request(m.header(), m.finish());
}

int RouteNetlink::setUp(int index) {
  Message m(RTM_NEWLINK, 0);
  auto* info = m.fixed<ifinfomsg>();
  info->ifi_family = AF_UNSPEC;
  info->ifi_index = index;
  info->ifi_flags = IFF_UP;
  info->ifi_change = IFF_UP;
  return request(m.header(), m.finish());
}

int RouteNetlink::setMaster(int index, int masterIndex) {
  Message m(RTM_NEWLINK, 0);
  auto* info = m.fixed<ifinfomsg>();
  info->ifi_family = AF_UNSPEC;
  info->ifi_index = index;
  m.attribute32(IFLA_MASTER, static_cast<uint32_t>(masterIndex));
  return request(m.header(), m.finish());
}

int RouteNetlink::setHairpin(int index) {
  Message m(RTM_NEWLINK, 0);
  auto* info = m.fixed<ifinfomsg>();
  info->ifi_family = AF_UNSPEC;
  info->ifi_index = index;
  size_t linkinfo = m.open(IFLA_LINKINFO);
  m.attribute(IFLA_INFO_SLAVE_KIND, "bridge", 6);
  size_t data = m.open(IFLA_INFO_SLAVE_DATA);
  uint8_t on = 1;
  m.attribute(IFLA_BRPORT_MODE, &on, sizeof on);
  m.close(data);
  m.close(linkinfo);
  return request(m.header(), m.finish());
}

int RouteNetlink::deleteLink(int index) {
  Message m(RTM_DELLINK, 0);
  auto* info = m.fixed<ifinfomsg>();
  info->ifi_family = AF_UNSPEC;
  info->ifi_index = index;
  return request(m.header(), m.finish());
}

int RouteNetlink::addAddress(int index, uint32_t address, int prefix) {
  Message m(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
  auto* info = m.fixed<ifaddrmsg>();
  info->ifa_family = AF_INET;
  info->ifa_prefixlen = static_cast<unsigned char>(prefix);
  info->ifa_index = static_cast<unsigned>(index);
  info->ifa_scope = RT_SCOPE_UNIVERSE;
  uint32_t network = htonl(address);
  m.attribute(IFA_LOCAL, &network, 4);
  m.attribute(IFA_ADDRESS, &network, 4);
  uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  uint32_t broadcast = htonl(address | ~mask);
  m.attribute(IFA_BROADCAST, &broadcast, 4);
  int error = request(m.header(), m.finish());
  return error == EEXIST ? 0 : error;
}

int RouteNetlink::addDefaultRoute(uint32_t gateway, int index) {
  Message m(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
  auto* route = m.fixed<rtmsg>();
  route->rtm_family = AF_INET;
  route->rtm_table = RT_TABLE_MAIN;
  route->rtm_protocol = RTPROT_BOOT;
  route->rtm_scope = RT_SCOPE_UNIVERSE;
  route->rtm_type = RTN_UNICAST;
  uint32_t via = htonl(gateway);
  m.attribute(RTA_GATEWAY, &via, 4);
  m.attribute32(RTA_OIF, static_cast<uint32_t>(index));
  int error = request(m.header(), m.finish());
  return error == EEXIST ? 0 : error;
}

}  // namespace minik
