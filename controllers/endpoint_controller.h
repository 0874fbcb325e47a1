// controllers/endpoint_controller.h — keeps the EndpointSlices and the
// legacy Endpoints of every Service with a selector in step with the Pods it
// selects (Kubernetes' endpointslice and endpoints controllers in one
// watcher, sharing one compact view of Services and Pods).
//
// Contract:
//  - Level-triggered: on start, and on every Service, Pod or managed
//    EndpointSlice change, the Services concerned are marked dirty; a pass on
//    the loop recomputes each dirty Service from the current views and the
//    stored slices, and writes only what differs (endpoint_slice_plan.h,
//    endpoints_subsets.h). A restart at any point converges.
//  - Many events for one Service between passes cost one recomputation.
//  - A Service that is gone loses its slices and its Endpoints; a Service
//    without selector, or of type ExternalName, is left alone.
//  - Failed writes (a conflict, a terminating namespace) are retried about a
//    second later.
//  - Memory: ServiceView and PodView per object, and the names of the
//    slices the controller manages; no object bodies.
//  - Cost: a Service sync looks only at the pods carrying one of its
//    selector's labels, a pod event only at the Services whose first
//    selector label the pod carries (label_pair_index.h).
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include <uv.h>

#include "client/cluster_client.h"
#include "client/informer.h"
#include "controllers/endpoint_views.h"
#include "controllers/label_pair_index.h"

namespace minik {

class EndpointController {
 public:
  EndpointController(uv_loop_t* loop, ClusterClient& client);
  ~EndpointController();
  EndpointController(const EndpointController&) = delete;
  EndpointController& operator=(const EndpointController&) = delete;

  // The handlers of its pod feed, for a shared pod informer to call (in
  // place of an informer of its own, which start() then does not create).
  // Call before start(); the feed may deliver its first list after start().
  Informer::Handlers podHandlers();

  void start();

 private:
  void onService(const nlohmann::json& service);
  void onServiceGone(const nlohmann::json& service);
  void onPod(const nlohmann::json& pod);
  void onPodGone(const nlohmann::json& pod);
  void onSlice(const nlohmann::json& slice);
  void onSliceGone(const nlohmann::json& slice);
  void markServicesSelecting(const std::string& ns, const LabelMap& labels);
  void markDirty(const std::string& serviceKey);
  void queueLeftoverEndpoints();

  void schedule(uint64_t delayMs);
  void runPass();
  bool sync(const std::string& serviceKey);
  bool syncSlices(const ServiceView& service, const std::vector<const PodView*>& pods);
  bool syncEndpoints(const ServiceView& service, const std::vector<const PodView*>& pods);
  bool removeAll(const std::string& serviceKey);
  void forgetSlice(const std::string& sliceKey);

  uv_loop_t* loop_;
  ClusterClient& client_;
  std::map<std::string, ServiceView> services_;               // "ns/name"
  // Ordered by (namespace, name), found by them without a copy of either.
  struct PodOrder {
    using is_transparent = void;
    using Key = std::pair<std::string_view, std::string_view>;
    static Key keyOf(const PodView& v) { return {v.ns.str(), v.name}; }
    bool operator()(const PodView& a, const PodView& b) const { return keyOf(a) < keyOf(b); }
    bool operator()(const PodView& a, const Key& b) const { return keyOf(a) < b; }
    bool operator()(const Key& a, const PodView& b) const { return a < keyOf(b); }
  };
  std::set<PodView, PodOrder> pods_;
  LabelPairIndex<PodView> podsByLabel_;  // under every label of the pod
  // Under the first pair of the selector: a Service selects only pods that
  // carry it.
  LabelPairIndex<ServiceView> servicesBySelector_;
  // Managed slices: service "ns/name" -> slice names, and back.
  std::map<std::string, std::set<std::string>> slicesByService_;
  std::map<std::string, std::string> serviceOfSlice_;  // "ns/slice" -> service key
  std::map<std::string, std::string> writtenRevision_;  // "ns/slice" -> our last write
  std::set<std::string> dirty_;
  std::set<std::string> retry_;
  std::unique_ptr<Informer> serviceInformer_;
  std::unique_ptr<Informer> podInformer_;
  std::unique_ptr<Informer> sliceInformer_;
  uv_timer_t* timer_ = nullptr;  // freed by its close callback
  uint64_t due_ = 0;
  bool starting_ = false;
  bool podsFedFromOutside_ = false;
};

}  // namespace minik
