// controllers/service_address_admission.h — the write-path step that gives
// Services their addresses: ClusterIPs from the service CIDR and NodePorts
// from 30000-32767 (Kubernetes' service REST storage allocators, alloc.go).
//
// Contract:
//  - Create: a ClusterIP for every Service but ExternalName and headless
//    ones (clusterIP: None); a requested spec.clusterIP is honoured or the
//    write refused with Kubernetes' 422 ("failed to allocate IP ...:
//    provided IP is already allocated"); spec.clusterIPs, ipFamilies [IPv4]
//    and ipFamilyPolicy follow. NodePort and LoadBalancer Services get a
//    nodePort per port (requested ones honoured or refused the same way),
//    and a healthCheckNodePort when externalTrafficPolicy is Local.
//  - Update: type changes allocate what the new type needs; what the new
//    object no longer holds is released once the write is stored.
//  - Delete (released()): everything the object held is free again.
//  - No address is ever held by two Services: the state is rebuilt from the
//    stored Services when the plugin is made, and after every update that
//    touched addresses it is checked against the stored object (so an
//    update that was refused later, or a dry run, leaks nothing).
//  - All calls on the loop thread.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <uv.h>

#include "api/admission.h"
#include "api/cluster_config.h"
#include "client/cluster_client.h"
#include "controllers/cluster_ip_allocator.h"
#include "controllers/node_port_allocator.h"

namespace minik {

class ServiceAddressAdmission : public AdmissionPlugin {
 public:
  // Lists the stored Services through client to learn what is taken.
  ServiceAddressAdmission(uv_loop_t* loop, ClusterClient& client, const ClusterConfig& config,
                          RangeBitmap::Random random = nullptr);
  ~ServiceAddressAdmission() override;

  std::optional<ApiError> admit(const KindInfo& kind, nlohmann::json& object,
                                const nlohmann::json* old) override;
  void released(const KindInfo& kind, const nlohmann::json& object) override;

  // Checks the Services updated since the last check against the store now
  // (otherwise done on the loop right after the write).
  void reconcileUpdated();

  // nullptr when the configured service CIDR is unusable.
  const ClusterIpAllocator* clusterIps() const { return ips_.get(); }
  const NodePortAllocator& nodePorts() const { return ports_; }

 private:
  // What one Service holds: its ClusterIPs and node ports.
  struct Holding {
    std::set<std::string> ips;
    std::set<int> ports;
    bool empty() const { return ips.empty() && ports.empty(); }
  };
  static Holding holdingOf(const nlohmann::json& service);
  void hold(const std::string& key, const Holding& holding);
  void letGo(const std::string& key, const Holding& holding);

  std::optional<ApiError> admitCreate(const KindInfo& kind, nlohmann::json& service);
  std::optional<ApiError> admitUpdate(const KindInfo& kind, nlohmann::json& service,
                                      const nlohmann::json& old);
  std::optional<ApiError> allocateClusterIp(const KindInfo& kind, nlohmann::json& service,
                                            Holding& got);
  std::optional<ApiError> allocateNodePorts(const KindInfo& kind, nlohmann::json& service,
                                            const nlohmann::json* old, Holding& got);
  std::optional<ApiError> allocateHealthCheckPort(nlohmann::json& service, const nlohmann::json* old,
                                                  Holding& got);
  void scheduleCheck(const std::string& key);

  ClusterClient& client_;
  std::unique_ptr<ClusterIpAllocator> ips_;
  std::string cidrError_;
  NodePortAllocator ports_;
  std::map<std::string, Holding> held_;  // "namespace/name" -> what it holds
  std::set<std::string> toCheck_;        // updated since the last check
  uv_timer_t* checkTimer_ = nullptr;     // freed by its close callback
};

}  // namespace minik
