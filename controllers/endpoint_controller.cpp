#include "controllers/endpoint_controller.h"

#include <cstdio>

#include "controllers/endpoint_slice_plan.h"
#include "controllers/endpoints_subsets.h"

namespace minik {

using nlohmann::json;

namespace {

// Services synced per pass, so API requests are served in between.
constexpr size_t kPassSize = 64;
constexpr uint64_t kRetryDelayMs = 1000;

std::string textAt(const json& object, const char* a, const char* b) {
  if (!object.contains(a) || !object[a].is_object()) return "";
  const json& inner = object[a];
  auto it = inner.find(b);
  return it != inner.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string keyOf(const json& object) {
  return textAt(object, "metadata", "namespace") + "/" + textAt(object, "metadata", "name");
}

std::pair<std::string, std::string> split(const std::string& key) {
  size_t slash = key.find('/');
  return {key.substr(0, slash), key.substr(slash + 1)};
}

const KindInfo& serviceKind() { return kindOf("", "services"); }
const KindInfo& podKind() { return kindOf("", "pods"); }
const KindInfo& sliceKind() { return kindOf("discovery.k8s.io", "endpointslices"); }
const KindInfo& endpointsKind() { return kindOf("", "endpoints"); }

void complain(const std::string& what, const ClientResult& result) {
  std::fprintf(stderr, "minik: endpoint controller: %s: %s\n", what.c_str(),
               result.error->status.value("message", "").c_str());
}

json labelsJson(const LabelMap& labels) {
  json out = json::object();
  for (const auto& [key, value] : labels) out[key] = value;
  return out;
}

}  // namespace

EndpointController::EndpointController(uv_loop_t* loop, ClusterClient& client)
    : loop_(loop), client_(client) {
  timer_ = new uv_timer_t;
  uv_timer_init(loop_, timer_);
  timer_->data = this;
}

EndpointController::~EndpointController() {
  serviceInformer_.reset();
  podInformer_.reset();
  sliceInformer_.reset();
  uv_timer_stop(timer_);
  uv_close(reinterpret_cast<uv_handle_t*>(timer_),
           [](uv_handle_t* handle) { delete reinterpret_cast<uv_timer_t*>(handle); });
}

Informer::Handlers EndpointController::podHandlers() {
  podsFedFromOutside_ = true;
  return {[this](const json& o) { onPod(o); }, [this](const json& o) { onPodGone(o); }};
}

void EndpointController::start() {
  serviceInformer_ = std::make_unique<Informer>(
      client_, serviceKind(), "",
      Informer::Handlers{[this](const json& o) { onService(o); }, [this](const json& o) { onServiceGone(o); }});
  if (!podsFedFromOutside_) {
    podInformer_ = std::make_unique<Informer>(
        client_, podKind(), "",
        Informer::Handlers{[this](const json& o) { onPod(o); }, [this](const json& o) { onPodGone(o); }});
  }
  sliceInformer_ = std::make_unique<Informer>(
      client_, sliceKind(), "",
      Informer::Handlers{[this](const json& o) { onSlice(o); }, [this](const json& o) { onSliceGone(o); }});
  // Every Service is dirty after its informer's first list, so the pods'
  // first delivery need not look for the Services selecting them.
  starting_ = true;
  serviceInformer_->start();
  // A shared feed delivers pods later, each then marking the Services that
  // select it (its first list comes after this one).
  if (podInformer_) podInformer_->start();
  starting_ = false;
  sliceInformer_->start();
  queueLeftoverEndpoints();
}

// Endpoints whose Service went away while minik was down (Kubernetes'
// checkLeftoverEndpoints): their sync deletes them.
void EndpointController::queueLeftoverEndpoints() {
  ClientList all = client_.list(endpointsKind(), "");
  for (const auto& endpoints : all.items) {
    const std::string key = keyOf(endpoints);
    if (services_.count(key)) continue;
    if (endpoints["metadata"].contains("annotations") &&
        endpoints["metadata"]["annotations"].contains("control-plane.alpha.kubernetes.io/leader")) {
      continue;
    }
    markDirty(key);
  }
}

namespace {

// The selector's first pair (empty for no selector): the index key of a
// Service, since every pod it selects carries that pair.
LabelMap firstPair(const LabelMap& selector) {
  if (selector.empty()) return {};
  return LabelMap{*selector.begin()};
}

}  // namespace

void EndpointController::onService(const json& object) {
  ServiceView view = serviceViewOf(object);
  const std::string key = view.ns + "/" + view.name;
  auto it = services_.find(key);
  if (it != services_.end() && it->second == view) return;
  if (it != services_.end()) servicesBySelector_.remove(it->second.ns, firstPair(it->second.selector), &it->second);
  ServiceView& stored = services_[key];
  stored = std::move(view);
  servicesBySelector_.add(stored.ns, firstPair(stored.selector), &stored);
  markDirty(key);
}

void EndpointController::onServiceGone(const json& object) {
  const std::string key = keyOf(object);
  auto it = services_.find(key);
  if (it != services_.end()) {
    servicesBySelector_.remove(it->second.ns, firstPair(it->second.selector), &it->second);
    services_.erase(it);
  }
  markDirty(key);
}

void EndpointController::onPod(const json& object) {
  PodView view = podViewOf(object);
  auto it = pods_.find(PodOrder::keyOf(view));
  if (it != pods_.end()) {
    if (*it == view) return;
    if (it->labels != view.labels) markServicesSelecting(view.ns, it->labels);
    podsByLabel_.remove(it->ns, it->labels, &*it);
  }
  markServicesSelecting(view.ns, view.labels);
  if (it == pods_.end()) {
    it = pods_.insert(std::move(view)).first;
  } else {
    // In place: the node, whose address the index holds, stays.
    auto node = pods_.extract(it);
    node.value() = std::move(view);
    it = pods_.insert(std::move(node)).position;
  }
  podsByLabel_.add(it->ns, it->labels, &*it);
}

void EndpointController::onPodGone(const json& object) {
  auto [ns, name] = split(keyOf(object));
  auto it = pods_.find(PodOrder::Key{ns, name});
  if (it == pods_.end()) return;
  markServicesSelecting(ns, it->labels);
  podsByLabel_.remove(ns, it->labels, &*it);
  pods_.erase(it);
}

void EndpointController::markServicesSelecting(const std::string& ns, const LabelMap& labels) {
  if (starting_) return;
  for (const auto& [key, value] : labels) {
    const auto* services = servicesBySelector_.find(ns, key, value);
    if (!services) continue;
    for (const ServiceView* service : *services) {
      if (selects(*service, labels)) markDirty(service->ns + "/" + service->name);
    }
  }
}

void EndpointController::onSlice(const json& object) {
  const std::string sliceKey = keyOf(object);
  const auto [ns, name] = split(sliceKey);
  const json& metadata = object["metadata"];
  std::string service, managedBy;
  if (metadata.contains("labels") && metadata["labels"].is_object()) {
    service = metadata["labels"].value(kServiceNameLabel, "");
    managedBy = metadata["labels"].value(kManagedByLabel, "");
  }
  auto known = serviceOfSlice_.find(sliceKey);
  if (managedBy != kSliceControllerName || service.empty()) {
    // Not (or no longer) ours: its former Service may miss a slice now.
    if (known != serviceOfSlice_.end()) {
      markDirty(known->second);
      forgetSlice(sliceKey);
    }
    return;
  }
  const std::string serviceKey = ns + "/" + service;
  if (known != serviceOfSlice_.end() && known->second != serviceKey) {
    markDirty(known->second);
    forgetSlice(sliceKey);
  }
  serviceOfSlice_[sliceKey] = serviceKey;
  slicesByService_[serviceKey].insert(name);
  auto written = writtenRevision_.find(sliceKey);
  if (written != writtenRevision_.end() && written->second == metadata.value("resourceVersion", "")) {
    return;  // our own write coming back
  }
  markDirty(serviceKey);
}

void EndpointController::onSliceGone(const json& object) {
  const std::string sliceKey = keyOf(object);
  auto known = serviceOfSlice_.find(sliceKey);
  if (known == serviceOfSlice_.end()) return;  // deleted by us, or never ours
  markDirty(known->second);
  forgetSlice(sliceKey);
}

void EndpointController::forgetSlice(const std::string& sliceKey) {
  auto known = serviceOfSlice_.find(sliceKey);
  if (known == serviceOfSlice_.end()) return;
  auto names = slicesByService_.find(known->second);
  if (names != slicesByService_.end()) {
    names->second.erase(split(sliceKey).second);
    if (names->second.empty()) slicesByService_.erase(names);
  }
  serviceOfSlice_.erase(known);
  writtenRevision_.erase(sliceKey);
}

void EndpointController::markDirty(const std::string& serviceKey) {
  dirty_.insert(serviceKey);
  schedule(0);
}

void EndpointController::schedule(uint64_t delayMs) {
  uint64_t due = uv_now(loop_) + delayMs;
  if (uv_is_active(reinterpret_cast<uv_handle_t*>(timer_)) && due_ <= due) return;
  due_ = due;
  uv_timer_start(timer_, [](uv_timer_t* t) { static_cast<EndpointController*>(t->data)->runPass(); },
                 delayMs, 0);
}

void EndpointController::runPass() {
  for (size_t done = 0; done < kPassSize && !dirty_.empty(); ++done) {
    std::string key = *dirty_.begin();
    dirty_.erase(dirty_.begin());
    if (!sync(key)) retry_.insert(key);
  }
  if (!dirty_.empty()) {
    schedule(0);
  } else if (!retry_.empty()) {
    dirty_.swap(retry_);
    schedule(kRetryDelayMs);
  }
}

bool EndpointController::sync(const std::string& serviceKey) {
  auto it = services_.find(serviceKey);
  if (it == services_.end()) return removeAll(serviceKey);
  const ServiceView& service = it->second;
  if (service.selector.empty() || service.externalName) return true;
  std::vector<const PodView*> pods;
  const auto& [anchorKey, anchorValue] = *service.selector.begin();
  if (const auto* candidates = podsByLabel_.find(service.ns, anchorKey, anchorValue)) {
    for (const PodView* pod : *candidates) {
      if (selects(service, pod->labels)) pods.push_back(pod);
    }
  }
  bool slicesOk = syncSlices(service, pods);
  bool endpointsOk = service.deleting || syncEndpoints(service, pods);
  return slicesOk && endpointsOk;
}

bool EndpointController::syncSlices(const ServiceView& service, const std::vector<const PodView*>& pods) {
  const std::string serviceKey = service.ns + "/" + service.name;
  std::vector<SliceContent> existing;
  std::map<std::string, json> stored;
  auto names = slicesByService_.find(serviceKey);
  if (names != slicesByService_.end()) {
    for (const std::string& name : std::set<std::string>(names->second)) {
      ClientResult got = client_.get(sliceKind(), service.ns, name);
      if (got.code() == 404) {
        forgetSlice(service.ns + "/" + name);
        continue;
      }
      if (!got.ok()) return false;
      existing.push_back(sliceContentOf(got.object));
      stored[name] = std::move(got.object);
    }
  }
  SlicePlan plan = planSlices(service, desiredEndpointGroups(service, pods), existing);
  bool ok = true;
  auto remember = [&](const json& written) {
    const std::string name = written["metadata"].value("name", "");
    const std::string sliceKey = service.ns + "/" + name;
    serviceOfSlice_[sliceKey] = serviceKey;
    slicesByService_[serviceKey].insert(name);
    writtenRevision_[sliceKey] = written["metadata"].value("resourceVersion", "");
  };
  for (const auto& content : plan.create) {
    ClientResult r = client_.create(sliceKind(), service.ns, newSliceObject(service, content));
    if (r.ok()) {
      remember(r.object);
    } else if (r.code() != 403) {  // 403: the namespace is terminating; its deletion wins
      complain("create EndpointSlice for Service " + serviceKey, r);
      ok = false;
    }
  }
  for (const auto& content : plan.update) {
    json next = stored[content.name];
    next["metadata"]["labels"] = labelsJson(content.labels);
    next["ports"] = portsJson(content.ports);
    next["endpoints"] = endpointsJson(content.endpoints);
    ClientResult r = client_.update(sliceKind(), service.ns, content.name, std::move(next));
    if (r.ok()) remember(r.object);
    else {
      if (r.code() != 409) complain("update EndpointSlice " + service.ns + "/" + content.name, r);
      ok = false;
    }
  }
  for (const auto& name : plan.remove) {
    ClientResult r = client_.remove(sliceKind(), service.ns, name);
    if (r.ok() || r.code() == 404) forgetSlice(service.ns + "/" + name);
    else {
      complain("delete EndpointSlice " + service.ns + "/" + name, r);
      ok = false;
    }
  }
  return ok;
}

bool EndpointController::syncEndpoints(const ServiceView& service, const std::vector<const PodView*>& pods) {
  EndpointsContent content = desiredEndpoints(service, pods);
  const json labels = labelsJson(endpointsLabels(service));
  ClientResult current = client_.get(endpointsKind(), service.ns, service.name);
  json next;
  if (current.code() == 404) {
    next = {{"apiVersion", "v1"},
            {"kind", "Endpoints"},
            {"metadata", {{"name", service.name}, {"namespace", service.ns}}}};
  } else if (current.ok()) {
    next = current.object;
  } else {
    return false;
  }
  next["metadata"]["labels"] = labels;
  if (content.subsets.empty()) next.erase("subsets");
  else next["subsets"] = content.subsets;
  json& metadata = next["metadata"];
  if (content.overCapacity) {
    metadata["annotations"][kOverCapacityAnnotation] = "truncated";
  } else if (metadata.contains("annotations") && metadata["annotations"].is_object()) {
    metadata["annotations"].erase(kOverCapacityAnnotation);
    if (metadata["annotations"].empty()) metadata.erase("annotations");
  }
  if (current.ok() && next == current.object) return true;
  ClientResult r = current.ok() ? client_.update(endpointsKind(), service.ns, service.name, next)
                                : client_.create(endpointsKind(), service.ns, next);
  if (r.ok() || r.code() == 403) return true;
  if (r.code() != 409) complain("write Endpoints " + service.ns + "/" + service.name, r);
  return false;
}

bool EndpointController::removeAll(const std::string& serviceKey) {
  const auto [ns, name] = split(serviceKey);
  bool ok = true;
  auto names = slicesByService_.find(serviceKey);
  if (names != slicesByService_.end()) {
    for (const std::string& slice : std::set<std::string>(names->second)) {
      ClientResult r = client_.remove(sliceKind(), ns, slice);
      if (r.ok() || r.code() == 404) forgetSlice(ns + "/" + slice);
      else ok = false;
    }
  }
  ClientResult r = client_.remove(endpointsKind(), ns, name);
  return ok && (r.ok() || r.code() == 404);
}

}  // namespace minik
