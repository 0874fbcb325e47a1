// dns/zone_builder.h — the watch side of the cluster DNS: follows Services,
// EndpointSlices and Namespaces through informers on the client's loop, keeps
// the little it needs of them, and publishes a fresh immutable Zone to a
// ZoneSlot shortly after they change.
//
// Contract:
//  - Runs on the client's loop thread only; never touches the serving thread
//    except through ZoneSlot::publish.
//  - A change is published within a few milliseconds: on the next loop turn
//    when rebuilds are rare; under a burst of events, rebuilds are coalesced
//    and spaced by the time the last one took, so they never take more than
//    half the loop.
//  - Which endpoints are served: those whose conditions.ready is true or
//    unset (unset means ready, per the EndpointSlice API), and every endpoint
//    of a Service with publishNotReadyAddresses.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <uv.h>

#include "api/cluster_config.h"
#include "client/cluster_client.h"
#include "client/informer.h"
#include "dns/zone.h"

namespace minik::dns {

class ZoneBuilder {
 public:
  ZoneBuilder(uv_loop_t* loop, ClusterClient& client, const ClusterConfig& config, ZoneSlot& slot);
  ~ZoneBuilder();
  ZoneBuilder(const ZoneBuilder&) = delete;
  ZoneBuilder& operator=(const ZoneBuilder&) = delete;

  // Lists and watches; the first zone is published before start returns.
  void start();
  void stop();

  // What the informers call; public so that tests can feed objects directly.
  void upsertService(const nlohmann::json& service);
  void removeService(const nlohmann::json& service);
  void upsertSlice(const nlohmann::json& slice);
  void removeSlice(const nlohmann::json& slice);
  void upsertNamespace(const nlohmann::json& ns);
  void removeNamespace(const nlohmann::json& ns);

  // Builds and publishes the zone now.
  void publish();

 private:
  struct Port {
    std::string name, protocol;
    uint16_t number = 0;
  };
  struct ServiceModel {
    ServiceKind kind = ServiceKind::ClusterIp;
    std::vector<Address> clusterIps;
    std::vector<Port> ports;
    std::string externalName;
    bool publishNotReady = false;
  };
  struct EndpointModel {
    std::string hostname;
    std::vector<Address> addresses;
    bool ready = true;
  };
  struct SliceModel {
    std::string service;  // kubernetes.io/service-name
    std::vector<Port> ports;
    std::vector<EndpointModel> endpoints;
  };
  using Key = std::pair<std::string, std::string>;  // namespace, name

  void changed();
  static void onTimer(uv_timer_t* timer);

  uv_loop_t* loop_;
  ClusterClient& client_;
  ClusterConfig config_;
  ZoneSlot& slot_;
  std::map<Key, ServiceModel> services_;
  std::map<Key, SliceModel> slices_;
  std::set<std::string> namespaces_;
  std::vector<std::unique_ptr<Informer>> informers_;
  uv_timer_t* timer_ = nullptr;  // owned until its close callback
  bool scheduled_ = false;
  bool started_ = false;
  uint64_t lastBuildNs_ = 0;     // how long the last rebuild took
  uint64_t lastBuildEndNs_ = 0;  // when it ended (uv_hrtime)
};

}  // namespace minik::dns
