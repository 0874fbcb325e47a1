// runtime-shim/route_netlink.h — the few rtnetlink requests a pod sandbox
// needs (links, addresses, routes), spoken directly on a NETLINK_ROUTE
// socket: no shelling out to `ip`, and no library beyond the kernel headers.
//
// Contract:
//  - A RouteNetlink talks to the network namespace it was opened in, for its
//    whole life, whatever thread uses it later (see openIn()).
//  - Every request waits for the kernel's acknowledgement; failures return
//    the errno (0 on success), never throw.
//  - Not thread-safe: one user at a time.
#pragma once

#include <cstdint>
#include <string>

namespace minik {

class RouteNetlink {
 public:
  // A socket in the calling thread's network namespace.
  RouteNetlink();
  // A socket in the namespace of the given netns file (e.g. /run/netns/x);
  // the calling thread's own namespace is left unchanged.
  static RouteNetlink openIn(const std::string& netnsPath, int* error);
  ~RouteNetlink();
  RouteNetlink(RouteNetlink&& other) noexcept;
  RouteNetlink(const RouteNetlink&) = delete;
  RouteNetlink& operator=(const RouteNetlink&) = delete;

  bool ok() const { return fd_ >= 0; }

  // The interface index of a link by name, 0 when absent.
  int linkIndex(const std::string& name);
  int createBridge(const std::string& name);
  // A veth pair: hostName here, peerName created directly inside the
  // namespace of peerNetnsFd.
  int createVethPair(const std::string& hostName, const std::string& peerName, int peerNetnsFd);
  int setUp(int index);
  int setMaster(int index, int masterIndex);
  // Lets a bridge port send frames back where they came from, so a pod can
  // reach itself through its Service (kubelet's hairpin-veth).
  int setHairpin(int index);
  int deleteLink(int index);
  // EEXIST is success: the address is already there.
  int addAddress(int index, uint32_t address, int prefix);
  // Default route via gateway (host order); EEXIST is success.
  int addDefaultRoute(uint32_t gateway, int index);

 private:
  explicit RouteNetlink(int fd) : fd_(fd) {}
  int request(void* message, size_t length);

  int fd_ = -1;
  uint32_t sequence_ = 0;
};

}  // namespace minik
