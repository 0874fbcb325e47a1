// netagent/service_proxy.h — the service proxy: follows Services and
// EndpointSlices through the client interface and keeps the kernel
// forwarding ClusterIP:port (and node ports) to ready endpoints, in IPVS
// mode or nftables mode, as kube-proxy does.
//
// Contract:
//  - Runs on the client's loop thread; kernel calls are netlink round trips
//    made from it (milliseconds; a full program of 10,000 Services takes
//    longer and happens only at start and when the kernel was changed
//    behind minik's back).
//  - Changes are coalesced for a few milliseconds, then only the virtual
//    services that changed are sent to the kernel. At start, and every
//    resync period when the kernel no longer holds what minik programmed
//    (someone ran `ipvsadm -C` or `nft flush ruleset`), everything minik
//    owns is reprogrammed, removing what it owns and nothing else.
//  - mode "" chooses: IPVS when the kernel's IPVS family resolves, else
//    nftables; the choice and its reason are logged. A mode asked for
//    explicitly that the kernel cannot do is an error naming what is
//    missing.
//  - UDP conntrack entries pointing at an endpoint that left are deleted.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <uv.h>

#include "api/cluster_config.h"
#include "client/cluster_client.h"

namespace minik {

struct ServiceProxyOptions {
  std::string mode;                   // "ipvs", "nftables", "none"; "" chooses
  std::string ipvsScheduler = "rr";
  std::string nftTable = "minik";
  int resyncSeconds = 30;
  int coalesceMillis = 5;
  // Addresses that answer node ports in IPVS mode (default: the node IP).
  std::vector<std::string> nodeAddresses;
};

class ServiceProxy {
 public:
  virtual ~ServiceProxy() = default;
  // Chooses the backend, programs the kernel and starts watching; false
  // with error set when the kernel cannot do the mode asked for.
  virtual bool start(std::string* error) = 0;
  virtual void stop() = 0;
  // "ipvs", "nftables" or "none" once started.
  virtual std::string mode() const = 0;
};

std::unique_ptr<ServiceProxy> makeServiceProxy(uv_loop_t* loop, ClusterClient& client,
                                               const ClusterConfig& config,
                                               const ServiceProxyOptions& options);

// Removes everything any proxy mode of minik put in the kernel (its nftables
// table, IPVS services on its interface's addresses, the interface, the
// service route); prints what it did to stderr. False when something could
// not be removed.
bool cleanupServiceProxy(const ClusterConfig& config, const ServiceProxyOptions& options);

}  // namespace minik
