#include "controllers/endpoint_slice_plan.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace minik {

using nlohmann::json;

namespace {

// Kubernetes' EndpointSet: desired endpoints by identity, handed out in the
// order they were added (PopAny, made repeatable).
class EndpointSet {
 public:
  void add(const SliceEndpoint& endpoint) {
    std::string id = endpoint.identity();
    if (byIdentity_.emplace(id, endpoint).second) order_.push_back(std::move(id));
  }
  const SliceEndpoint* find(const std::string& id) const {
    auto it = byIdentity_.find(id);
    return it == byIdentity_.end() ? nullptr : &it->second;
  }
  void erase(const std::string& id) { byIdentity_.erase(id); }
  size_t size() const { return byIdentity_.size(); }
  SliceEndpoint pop() {
    while (!byIdentity_.count(order_[next_])) ++next_;
    auto it = byIdentity_.find(order_[next_++]);
    SliceEndpoint out = std::move(it->second);
    byIdentity_.erase(it);
    return out;
  }

 private:
  std::map<std::string, SliceEndpoint> byIdentity_;
  std::vector<std::string> order_;
  size_t next_ = 0;
};

bool isReservedLabel(const std::string& key) {
  return key == kServiceNameLabel || key == kManagedByLabel || key == kHeadlessLabel;
}

bool boolAt(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

std::string textAt(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// The slice of `candidates` that ends closest to full with `count` more
// endpoints (Kubernetes' getSliceToFill).
SliceContent* sliceToFill(const std::vector<SliceContent*>& candidates, size_t count, size_t max) {
  size_t closest = max;
  SliceContent* found = nullptr;
  for (SliceContent* slice : candidates) {
    if (count + slice->endpoints.size() > max) continue;
    size_t diff = max - (count + slice->endpoints.size());
    if (diff < closest) {
      closest = diff;
      found = slice;
      if (diff == 0) break;
    }
  }
  return found;
}

// Kubernetes' reconcileByPortMapping for one group of equal port lists.
void planGroup(const ServiceView& service, const LabelMap& labels,
               const std::vector<const SliceContent*>& existing, const EndpointGroup& group,
               size_t max, SlicePlan& plan, std::vector<std::string>& deletes) {
  EndpointSet desired;
  for (const auto& endpoint : group.endpoints) desired.add(endpoint);

  std::map<std::string, SliceContent> byName;
  std::vector<std::string> unchanged;  // in the order found
  std::vector<std::string> toUpdate;

  // 1. Keep the desired endpoints where they are; drop the others.
  for (const SliceContent* slice : existing) {
    std::vector<SliceEndpoint> kept;
    bool changed = false;
    for (const auto& endpoint : slice->endpoints) {
      std::string id = endpoint.identity();
      const SliceEndpoint* want = desired.find(id);
      if (!want) continue;
      if (!want->sameBeyondIdentity(endpoint)) changed = true;
      kept.push_back(*want);
      desired.erase(id);
    }
    SliceContent copy = *slice;
    if (changed || kept.size() != slice->endpoints.size()) {
      if (kept.empty()) {
        deletes.push_back(slice->name);
        continue;
      }
      copy.endpoints = std::move(kept);
      copy.labels = labels;
      toUpdate.push_back(copy.name);
    } else if (slice->labels != labels) {
      copy.labels = labels;
      toUpdate.push_back(copy.name);
    } else {
      unchanged.push_back(copy.name);
    }
    byName[copy.name] = std::move(copy);
  }

  // 2. Top up the slices being written anyway, fullest first.
  if (desired.size() > 0 && !toUpdate.empty()) {
    std::vector<SliceContent*> slices;
    for (const auto& name : toUpdate) slices.push_back(&byName[name]);
    std::stable_sort(slices.begin(), slices.end(), [](const SliceContent* a, const SliceContent* b) {
      return a->endpoints.size() > b->endpoints.size();
    });
    for (SliceContent* slice : slices) {
      while (desired.size() > 0 && slice->endpoints.size() < max) slice->endpoints.push_back(desired.pop());
    }
  }

  // 3. The rest goes into the unchanged slice it fits best, else new slices.
  while (desired.size() > 0) {
    SliceContent* fill = nullptr;
    if (desired.size() < max && !unchanged.empty()) {
      std::vector<SliceContent*> candidates;
      for (const auto& name : unchanged) candidates.push_back(&byName[name]);
      fill = sliceToFill(candidates, desired.size(), max);
    }
    if (fill) {
      while (desired.size() > 0 && fill->endpoints.size() < max) fill->endpoints.push_back(desired.pop());
      toUpdate.push_back(fill->name);
      unchanged.erase(std::find(unchanged.begin(), unchanged.end(), fill->name));
      continue;
    }
    SliceContent fresh;
    fresh.ownerUid = service.uid;
    fresh.ports = group.ports;
    fresh.labels = labels;
    while (desired.size() > 0 && fresh.endpoints.size() < max) fresh.endpoints.push_back(desired.pop());
    plan.create.push_back(std::move(fresh));
  }
  for (const auto& name : toUpdate) plan.update.push_back(byName[name]);
}

json targetRefJson(const SliceEndpoint& endpoint) {
  return {{"kind", "Pod"},
          {"namespace", endpoint.podNamespace},
          {"name", endpoint.podName},
          {"uid", endpoint.podUid}};
}

}  // namespace

bool SlicePort::operator==(const SlicePort& o) const {
  return name == o.name && protocol == o.protocol && port == o.port && appProtocol == o.appProtocol;
}

std::string SliceEndpoint::identity() const {
  std::vector<std::string> sorted = addresses;
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  for (const auto& address : sorted) out += address + ",";
  return out + "|" + hostname + "|" + podNamespace + "/" + podName;
}

bool SliceEndpoint::sameBeyondIdentity(const SliceEndpoint& o) const {
  return nodeName == o.nodeName && zone == o.zone && ready == o.ready && serving == o.serving &&
         terminating == o.terminating && podNamespace == o.podNamespace && podName == o.podName &&
         podUid == o.podUid;
}

std::string portsKey(const std::vector<SlicePort>& ports) {
  std::vector<std::string> parts;
  for (const auto& p : ports) {
    parts.push_back(p.name + "/" + p.protocol + "/" + std::to_string(p.port) + "/" + p.appProtocol);
  }
  std::sort(parts.begin(), parts.end());
  std::string key;
  for (const auto& part : parts) key += part + ";";
  return key;
}

LabelMap sliceLabels(const ServiceView& service) {
  LabelMap labels;
  for (const auto& [key, value] : service.labels) {
    if (!isReservedLabel(key)) labels[key] = value;
  }
  if (service.headless) labels[kHeadlessLabel] = "";
  labels[kServiceNameLabel] = service.name;
  labels[kManagedByLabel] = kSliceControllerName;
  return labels;
}

std::map<std::string, EndpointGroup> desiredEndpointGroups(const ServiceView& service,
                                                           const std::vector<const PodView*>& pods) {
  std::map<std::string, EndpointGroup> groups;
  for (const PodView* pod : pods) {
    if (!shouldBeEndpoint(*pod, true)) continue;
    std::vector<SlicePort> ports;
    for (const auto& servicePort : service.ports) {
      std::optional<int> number = findPort(*pod, servicePort);
      if (!number) continue;
      ports.push_back({servicePort.name, servicePort.protocol, *number, servicePort.appProtocol});
    }
    EndpointGroup& group = groups[portsKey(ports)];
    if (group.endpoints.empty()) group.ports = ports;
    SliceEndpoint endpoint;
    endpoint.addresses = pod->ipv4;
    endpoint.serving = pod->ready;
    endpoint.terminating = pod->terminating;
    endpoint.ready = service.publishNotReadyAddresses || (pod->ready && !pod->terminating);
    endpoint.podNamespace = pod->ns;
    endpoint.podName = pod->name;
    endpoint.podUid = pod->uid;
    endpoint.nodeName = pod->nodeName;
    if (shouldSetHostname(*pod, service)) endpoint.hostname = pod->hostname;
    group.endpoints.push_back(std::move(endpoint));
  }
  return groups;
}

SlicePlan planSlices(const ServiceView& service, const std::map<std::string, EndpointGroup>& desired,
                     const std::vector<SliceContent>& existing, size_t maxEndpointsPerSlice) {
  SlicePlan plan;
  const LabelMap labels = sliceLabels(service);
  std::vector<std::string> deletes;
  std::map<std::string, std::vector<const SliceContent*>> byPorts;
  for (const auto& slice : existing) {
    if (slice.addressType != "IPv4" || slice.ownerUid != service.uid) deletes.push_back(slice.name);
    else byPorts[portsKey(slice.ports)].push_back(&slice);
  }
  for (const auto& [key, group] : desired) {
    auto it = byPorts.find(key);
    static const std::vector<const SliceContent*> kNone;
    planGroup(service, labels, it == byPorts.end() ? kNone : it->second, group, maxEndpointsPerSlice,
              plan, deletes);
  }
  for (const auto& [key, slices] : byPorts) {
    if (desired.count(key)) continue;
    for (const SliceContent* slice : slices) deletes.push_back(slice->name);
  }

  // A Service without endpoints keeps one empty placeholder slice.
  if (existing.size() == deletes.size() && plan.create.empty()) {
    const SliceContent* only = nullptr;
    if (deletes.size() == 1) {
      for (const auto& slice : existing) if (slice.name == deletes[0]) only = &slice;
    }
    bool onlyIsPlaceholder = only && only->endpoints.empty() && only->ports.empty() &&
                             only->labels == labels && only->ownerUid == service.uid &&
                             only->addressType == "IPv4";
    if (onlyIsPlaceholder) {
      deletes.clear();
    } else {
      SliceContent placeholder;
      placeholder.ownerUid = service.uid;
      placeholder.labels = labels;
      plan.create.push_back(std::move(placeholder));
    }
  }

  // Reuse the names of slices about to go for the slices about to come
  // (Kubernetes' finalize), owned ones only.
  for (size_t i = 0; i < deletes.size() && !plan.create.empty();) {
    const SliceContent* gone = nullptr;
    for (const auto& slice : existing) if (slice.name == deletes[i]) gone = &slice;
    if (gone && gone->ownerUid == service.uid && gone->addressType == "IPv4") {
      SliceContent reused = std::move(plan.create.back());
      plan.create.pop_back();
      reused.name = gone->name;
      plan.update.push_back(std::move(reused));
      deletes.erase(deletes.begin() + static_cast<long>(i));
    } else {
      ++i;
    }
  }
  if (service.deleting) plan.create.clear();
  plan.remove = std::move(deletes);
  return plan;
}

SliceContent sliceContentOf(const json& slice) {
  SliceContent content;
  const json empty = json::object();
  const json& metadata = slice.contains("metadata") ? slice["metadata"] : empty;
  content.name = textAt(metadata, "name");
  content.addressType = textAt(slice, "addressType");
  if (metadata.contains("labels") && metadata["labels"].is_object()) {
    for (auto it = metadata["labels"].begin(); it != metadata["labels"].end(); ++it) {
      if (it.value().is_string()) content.labels[it.key()] = it.value().get<std::string>();
    }
  }
  if (metadata.contains("ownerReferences") && metadata["ownerReferences"].is_array()) {
    for (const auto& ref : metadata["ownerReferences"]) {
      if (textAt(ref, "kind") == "Service" && textAt(ref, "apiVersion") == "v1") {
        content.ownerUid = textAt(ref, "uid");
        break;
      }
    }
  }
  if (slice.contains("ports") && slice["ports"].is_array()) {
    for (const auto& port : slice["ports"]) {
      SlicePort p;
      p.name = textAt(port, "name");
      p.protocol = textAt(port, "protocol");
      p.port = port.contains("port") && port["port"].is_number_integer() ? port["port"].get<int>() : 0;
      p.appProtocol = textAt(port, "appProtocol");
      content.ports.push_back(std::move(p));
    }
  }
  if (slice.contains("endpoints") && slice["endpoints"].is_array()) {
    for (const auto& item : slice["endpoints"]) {
      if (!item.is_object()) continue;
      SliceEndpoint e;
      if (item.contains("addresses") && item["addresses"].is_array()) {
        for (const auto& a : item["addresses"]) if (a.is_string()) e.addresses.push_back(a.get<std::string>());
      }
      if (item.contains("conditions") && item["conditions"].is_object()) {
        const json& c = item["conditions"];
        e.ready = boolAt(c, "ready");
        e.serving = boolAt(c, "serving");
        e.terminating = boolAt(c, "terminating");
      }
      if (item.contains("targetRef") && item["targetRef"].is_object()) {
        e.podNamespace = textAt(item["targetRef"], "namespace");
        e.podName = textAt(item["targetRef"], "name");
        e.podUid = textAt(item["targetRef"], "uid");
      }
      e.nodeName = textAt(item, "nodeName");
      e.hostname = textAt(item, "hostname");
      e.zone = textAt(item, "zone");
      content.endpoints.push_back(std::move(e));
    }
  }
  return content;
}

json endpointsJson(const std::vector<SliceEndpoint>& endpoints) {
  if (endpoints.empty()) return nullptr;  // as Kubernetes stores an empty list
  json out = json::array();
  for (const auto& e : endpoints) {
    json item = {{"addresses", e.addresses},
                 {"conditions", {{"ready", e.ready}, {"serving", e.serving}, {"terminating", e.terminating}}},
                 {"targetRef", targetRefJson(e)}};
    if (!e.nodeName.empty()) item["nodeName"] = e.nodeName;
    if (!e.hostname.empty()) item["hostname"] = e.hostname;
    if (!e.zone.empty()) item["zone"] = e.zone;
    out.push_back(std::move(item));
  }
  return out;
}

json portsJson(const std::vector<SlicePort>& ports) {
  if (ports.empty()) return nullptr;
  json out = json::array();
  for (const auto& p : ports) {
    json item = {{"name", p.name}, {"protocol", p.protocol}, {"port", p.port}};
    if (!p.appProtocol.empty()) item["appProtocol"] = p.appProtocol;
    out.push_back(std::move(item));
  }
  return out;
}

json newSliceObject(const ServiceView& service, const SliceContent& content) {
  json labels = json::object();
  for (const auto& [key, value] : content.labels) labels[key] = value;
  return {{"apiVersion", "discovery.k8s.io/v1"},
          {"kind", "EndpointSlice"},
          {"metadata",
           {{"generateName", service.name + "-"},
            {"namespace", service.ns},
            {"labels", labels},
            {"ownerReferences",
             {{{"apiVersion", "v1"},
               {"kind", "Service"},
               {"name", service.name},
               {"uid", service.uid},
               {"controller", true},
               {"blockOwnerDeletion", true}}}}}},
          {"addressType", content.addressType},
          {"ports", portsJson(content.ports)},
          {"endpoints", endpointsJson(content.endpoints)}};
}

}  // namespace minik
