// runtime-shim/route_netlink.h — the few rtnetlink requests a pod sandbox
// needs (links, addresses, routes), through libnl-route: no shelling out to
// `ip`.
//
// Contract:
//  - A RouteNetlink talks to the network namespace it was opened in, for its
//    whole life, whatever thread uses it later (see openIn()).
//  - Every request waits for the kernel's acknowledgement; failures return
//    a negative libnl error (0 on success; describe() words it), never throw.
//  - Not thread-safe: one user at a time.
#pragma once

#include <cstdint>
#include <string>

struct nl_sock;

namespace minik {

class RouteNetlink {
 public:
  // A socket in the calling thread's network namespace.
  RouteNetlink();
  // A socket in the namespace of the given netns file (e.g. /run/netns/x);
  // the calling thread's own namespace is left unchanged. error gets an
  // errno when it fails.
  static RouteNetlink openIn(const std::string& netnsPath, int* error);
  ~RouteNetlink();
  RouteNetlink(RouteNetlink&& other) noexcept;
  RouteNetlink(const RouteNetlink&) = delete;
  RouteNetlink& operator=(const RouteNetlink&) = delete;

  bool ok() const { return sock_ != nullptr; }
  static std::string describe(int error);
  static bool alreadyExists(int error);

  // The interface index of a link by name, 0 when absent.
  int linkIndex(const std::string& name);
  // Fails with -NLE_EXIST when a link of that name exists.
  int createBridge(const std::string& name);
  // A veth pair: hostName here, peerName created directly inside the
  // namespace of peerNetnsFd. -NLE_EXIST when hostName exists.
  int createVethPair(const std::string& hostName, const std::string& peerName, int peerNetnsFd);
  int setUp(int index);
  int setMaster(int index, int masterIndex);
  // Lets a bridge port send frames back where they came from, so a pod can
  // reach itself through its Service (the CNI bridge plugin's hairpinMode).
  int setHairpin(int index);
  int deleteLink(int index);
  // An address that is already there is success.
  int addAddress(int index, uint32_t address, int prefix);
  // Default route via gateway (host order); one already there is success.
  int addDefaultRoute(uint32_t gateway, int index);

 private:
  explicit RouteNetlink(nl_sock* sock) : sock_(sock) {}

  nl_sock* sock_ = nullptr;
};

}  // namespace minik
