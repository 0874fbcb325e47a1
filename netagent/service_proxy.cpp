#include "netagent/service_proxy.h"

#include <cstdio>
#include <map>
#include <set>
#include <utility>

#include "client/informer.h"
#include "netagent/conntrack_flows.h"
#include "netagent/ipvs_backend.h"
#include "netagent/kernel_features.h"
#include "netagent/nft_backend.h"
#include "netagent/proxy_rules.h"
#include "netagent/service_route.h"
#include "netagent/service_views.h"

namespace minik {

namespace {

using namespace netagent;
using Key = std::pair<std::string, std::string>;  // namespace, name

Key keyOf(const nlohmann::json& object) {
  const auto& m = object["metadata"];
  return {m.value("namespace", ""), m.value("name", "")};
}

void logLine(const std::string& text) { std::fprintf(stderr, "minik netagent: %s\n", text.c_str()); }

IpvsOptions ipvsOptionsOf(const ClusterConfig& config, const ServiceProxyOptions& options) {
  IpvsOptions ipvs;
  ipvs.scheduler = options.ipvsScheduler;
  ipvs.serviceCidr = config.serviceCidr;
  ipvs.clusterCidr = config.clusterCidr;
  ipvs.nftTable = options.nftTable;
  std::vector<std::string> addresses = options.nodeAddresses;
  if (addresses.empty() && !config.nodeIp.empty()) addresses.push_back(config.nodeIp);
  for (const std::string& a : addresses) {
    if (auto ip = parseIpv4(a)) ipvs.nodeAddresses.push_back(*ip);
  }
  return ipvs;
}

NftLayout nftLayoutOf(const ClusterConfig& config, const ServiceProxyOptions& options) {
  NftLayout layout;
  layout.table = options.nftTable;
  layout.clusterCidr = config.clusterCidr;
  return layout;
}

// The UDP flows that changes strand: to backends that left a UDP virtual
// service, or to every backend of one that went away.
std::vector<NattedFlow> strandedUdpFlows(const std::vector<ProxyChange>& changes) {
  std::vector<NattedFlow> flows;
  for (const ProxyChange& change : changes) {
    if (!change.before || change.before->protocol != L4Protocol::Udp) continue;
    const VirtualService& before = *change.before;
    std::vector<Backend> gone;
    if (!change.after || change.after->clusterIp != before.clusterIp || change.after->port != before.port) {
      gone = before.backends;
    } else {
      gone = diffBackends(before.backends, change.after->backends).removed;
    }
    for (const Backend& b : gone) {
      flows.push_back({before.clusterIp, before.port, b.ip, b.port});
      if (before.nodePort) flows.push_back({0, before.nodePort, b.ip, b.port});
    }
  }
  return flows;
}

class ServiceProxyImpl : public ServiceProxy {
 public:
  ServiceProxyImpl(uv_loop_t* loop, ClusterClient& client, const ClusterConfig& config,
                   const ServiceProxyOptions& options)
      : loop_(loop), client_(client), config_(config), options_(options) {}

  ~ServiceProxyImpl() override { stop(); }

  bool start(std::string* error) override {
    if (!chooseBackend(error)) return false;
    if (!backend_) return true;  // mode none
    std::string sctpWhy;
    sctp_ = sctpAvailable(mode_, &sctpWhy);
    if (!sctp_) logLine("SCTP Service ports are not programmed: " + sctpWhy);
    if (!bridgeNetfilterEnabled()) {
      logLine("net.bridge.bridge-nf-call-iptables is not 1 (load br_netfilter): a pod reaching another "
              "pod on its bridge through a Service will get no answer");
    }
    uv_timer_init(loop_, &syncTimer_);
    syncTimer_.data = this;
    uv_timer_init(loop_, &resyncTimer_);
    resyncTimer_.data = this;
    timersOpen_ = true;
    starting_ = true;
    services_ = std::make_unique<Informer>(
        client_, kindOf("", "services"), "",
        Informer::Handlers{[this](const nlohmann::json& o) { upsertService(o); },
                           [this](const nlohmann::json& o) { removeService(o); }});
    slices_ = std::make_unique<Informer>(
        client_, kindOf("discovery.k8s.io", "endpointslices"), "",
        Informer::Handlers{[this](const nlohmann::json& o) { upsertSlice(o); },
                           [this](const nlohmann::json& o) { removeSlice(o); }});
    services_->start();
    slices_->start();
    starting_ = false;
    // The first program is whole: it also removes what an earlier run left.
    dirty_.clear();
    ProxyState desired;
    for (const auto& [key, view] : serviceViews_) {
      ProxyState sub = desiredOf(key);
      desired.insert(sub.begin(), sub.end());
    }
    programAll(desired);
    if (options_.resyncSeconds > 0) {
      uint64_t period = static_cast<uint64_t>(options_.resyncSeconds) * 1000;
      uv_timer_start(&resyncTimer_, [](uv_timer_t* t) { static_cast<ServiceProxyImpl*>(t->data)->resync(); },
                     period, period);
    }
    return true;
  }

  void stop() override {
    if (services_) services_->stop();
    if (slices_) slices_->stop();
    if (timersOpen_) {
      uv_timer_stop(&syncTimer_);
      uv_timer_stop(&resyncTimer_);
      uv_close(reinterpret_cast<uv_handle_t*>(&syncTimer_), nullptr);
      uv_close(reinterpret_cast<uv_handle_t*>(&resyncTimer_), nullptr);
      timersOpen_ = false;
    }
  }

  std::string mode() const override { return mode_; }

 private:
  bool chooseBackend(std::string* error) {
    std::string requested = options_.mode;
    if (requested == "none") {
      mode_ = "none";
      logLine("service proxy disabled (--proxy-mode none)");
      return true;
    }
    if (requested != "" && requested != "ipvs" && requested != "nftables") {
      *error = "unknown --proxy-mode " + requested + " (want ipvs, nftables or none)";
      return false;
    }
    std::string ipvsWhy, nftWhy;
    bool ipvs = ipvsAvailable(&ipvsWhy);
    if (requested == "ipvs" && !ipvs) {
      *error = "--proxy-mode ipvs: " + ipvsWhy + "; use --proxy-mode nftables";
      return false;
    }
    if (requested == "ipvs" || (requested.empty() && ipvs)) {
      backend_ = makeIpvsBackend(ipvsOptionsOf(config_, options_), error);
      if (!backend_) return false;
      mode_ = "ipvs";
      logLine(std::string("proxy mode ipvs (") + (requested.empty() ? "chosen: " : "asked for: ") + ipvsWhy +
              ", scheduler " + options_.ipvsScheduler + ")");
      return true;
    }
    if (!nftablesAvailable(&nftWhy)) {
      *error = "no service proxy mode works here: IPVS: " + ipvsWhy + "; nftables: " + nftWhy;
      return false;
    }
    backend_ = makeNftBackend(nftLayoutOf(config_, options_), error);
    if (!backend_) return false;
    mode_ = "nftables";
    if (!installServiceRoute(config_.serviceCidr, error)) return false;
    logLine(std::string("proxy mode nftables (") +
            (requested.empty() ? "chosen because IPVS is missing: " + ipvsWhy : "asked for") + "; table ip " +
            options_.nftTable + ")");
    return true;
  }

  // --- informer handlers -----------------------------------------------------
  void upsertService(const nlohmann::json& object) {
    Key key = keyOf(object);
    auto view = serviceViewOf(object);
    if (view) {
      serviceViews_[key] = std::move(*view);
    } else {
      serviceViews_.erase(key);
    }
    markDirty(key);
  }

  void removeService(const nlohmann::json& object) {
    Key key = keyOf(object);
    serviceViews_.erase(key);
    markDirty(key);
  }

  void upsertSlice(const nlohmann::json& object) {
    Key key = keyOf(object);
    auto view = sliceViewOf(object);
    dropSlice(key);
    if (view) {
      Key service{key.first, view->service};
      slicesOfService_[service].insert(key.second);
      sliceViews_[key] = std::move(*view);
      markDirty(service);
    }
  }

  void removeSlice(const nlohmann::json& object) { dropSlice(keyOf(object)); }

  void dropSlice(const Key& key) {
    auto it = sliceViews_.find(key);
    if (it == sliceViews_.end()) return;
    Key service{key.first, it->second.service};
    auto& names = slicesOfService_[service];
    names.erase(key.second);
    if (names.empty()) slicesOfService_.erase(service);
    sliceViews_.erase(it);
    markDirty(service);
  }

  void markDirty(const Key& service) {
    dirty_.insert(service);
    if (starting_ || !timersOpen_ || syncScheduled_) return;
    syncScheduled_ = true;
    uv_timer_start(&syncTimer_, [](uv_timer_t* t) { static_cast<ServiceProxyImpl*>(t->data)->sync(); },
                   static_cast<uint64_t>(options_.coalesceMillis), 0);
  }

  // --- desired state ---------------------------------------------------------
  ProxyState desiredOf(const Key& service) const {
    auto it = serviceViews_.find(service);
    if (it == serviceViews_.end()) return {};
    std::vector<const SliceView*> slices;
    auto names = slicesOfService_.find(service);
    if (names != slicesOfService_.end()) {
      for (const std::string& name : names->second) slices.push_back(&sliceViews_.at({service.first, name}));
    }
    ProxyState state = virtualServicesOf(it->second, slices);
    if (!sctp_) {
      for (auto vs = state.begin(); vs != state.end();) {
        vs = vs->second.protocol == L4Protocol::Sctp ? state.erase(vs) : std::next(vs);
      }
    }
    return state;
  }

  // What is programmed now for a Service: keys "ns/name:..." sort together.
  ProxyState programmedOf(const Key& service) const {
    ProxyState out;
    const std::string prefix = service.first + "/" + service.second + ":";
    for (auto it = programmed_.lower_bound(prefix);
         it != programmed_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
      out.insert(*it);
    }
    return out;
  }

  // --- kernel ----------------------------------------------------------------
  void sync() {
    syncScheduled_ = false;
    std::vector<ProxyChange> changes;
    for (const Key& service : dirty_) {
      std::vector<ProxyChange> c = diffStates(programmedOf(service), desiredOf(service));
      changes.insert(changes.end(), std::make_move_iterator(c.begin()), std::make_move_iterator(c.end()));
    }
    dirty_.clear();
    if (changes.empty()) return;
    ProxyState next = programmed_;
    for (const ProxyChange& change : changes) {
      if (change.after) {
        next[change.key] = *change.after;
      } else {
        next.erase(change.key);
      }
    }
    std::string error;
    if (!backend_->apply(changes, &error)) {
      logLine("incremental update failed (" + error + "); reprogramming everything");
      programAll(next);
    } else {
      programmed_ = std::move(next);
    }
    forgetStrandedFlows(changes);
  }

  void programAll(const ProxyState& desired) {
    std::string error;
    if (!backend_->replaceAll(desired, &error)) {
      logLine("programming " + std::to_string(desired.size()) + " virtual services failed: " + error);
      // Nothing is known to be in the kernel: the next resync starts over.
      programmed_.clear();
      lastFailed_ = true;
      pendingFull_ = desired;
      return;
    }
    lastFailed_ = false;
    programmed_ = desired;
    logLine("programmed " + std::to_string(desired.size()) + " virtual services (" + backend_->mode() + ")");
  }

  void resync() {
    if (lastFailed_) {
      programAll(pendingFull_);
      return;
    }
    if (!backend_->holds(programmed_)) {
      logLine("the kernel no longer holds what minik programmed; reprogramming");
      programAll(programmed_);
    }
  }

  void forgetStrandedFlows(const std::vector<ProxyChange>& changes) {
    std::vector<NattedFlow> flows = strandedUdpFlows(changes);
    if (flows.empty()) return;
    std::string error;
    if (deleteUdpFlows(flows, &error) < 0) logLine("cannot delete stale UDP conntrack entries: " + error);
  }

  uv_loop_t* loop_;
  ClusterClient& client_;
  ClusterConfig config_;
  ServiceProxyOptions options_;
  std::string mode_ = "none";
  std::unique_ptr<ProxyBackend> backend_;
  std::unique_ptr<Informer> services_, slices_;

  std::map<Key, ServiceView> serviceViews_;
  std::map<Key, SliceView> sliceViews_;                     // (namespace, slice name)
  std::map<Key, std::set<std::string>> slicesOfService_;   // (namespace, service) -> slice names
  std::set<Key> dirty_;
  ProxyState programmed_;
  ProxyState pendingFull_;
  bool lastFailed_ = false;
  bool sctp_ = true;  // the kernel forwards SCTP in this mode

  uv_timer_t syncTimer_{};
  uv_timer_t resyncTimer_{};
  bool timersOpen_ = false;
  bool syncScheduled_ = false;
  bool starting_ = false;
};

}  // namespace

std::unique_ptr<ServiceProxy> makeServiceProxy(uv_loop_t* loop, ClusterClient& client,
                                               const ClusterConfig& config,
                                               const ServiceProxyOptions& options) {
  return std::make_unique<ServiceProxyImpl>(loop, client, config, options);
}

bool cleanupServiceProxy(const ClusterConfig& config, const ServiceProxyOptions& options) {
  bool ok = true;
  std::string error;
  if (auto nft = makeNftBackend(nftLayoutOf(config, options), &error)) {
    if (nft->cleanup(&error)) {
      logLine("removed nftables table ip " + options.nftTable);
    } else {
      logLine("cannot remove nftables table ip " + options.nftTable + ": " + error);
      ok = false;
    }
  }
  if (removeServiceRoute(config.serviceCidr, &error)) {
    logLine("removed the local route for " + config.serviceCidr);
  } else {
    logLine(error);
    ok = false;
  }
  std::string why;
  if (ipvsAvailable(&why)) {
    if (cleanupIpvs(ipvsOptionsOf(config, options), &error)) {
      logLine("removed IPVS virtual servers in " + config.serviceCidr + " and the interface minik-ipvs0");
    } else {
      logLine("IPVS cleanup: " + error);
      ok = false;
    }
  }
  return ok;
}

}  // namespace minik
