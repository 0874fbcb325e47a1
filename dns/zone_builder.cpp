#include "dns/zone_builder.h"

#include <ctime>

namespace minik::dns {

namespace {

std::string lowered(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::pair<std::string, std::string> keyOf(const nlohmann::json& object) {
  const auto& m = object.value("metadata", nlohmann::json::object());
  return {m.value("namespace", ""), m.value("name", "")};
}

template <typename PortList>
void readPorts(const nlohmann::json& ports, PortList* out) {
  if (!ports.is_array()) return;
  for (const auto& p : ports) {
    if (!p.is_object() || !p.contains("port") || !p["port"].is_number_integer()) continue;
    int number = p["port"].get<int>();
    if (number <= 0 || number > 65535) continue;
    out->push_back({lowered(p.value("name", "")), lowered(p.value("protocol", "TCP")), uint16_t(number)});
  }
}

}  // namespace

ZoneBuilder::ZoneBuilder(uv_loop_t* loop, ClusterClient& client, const ClusterConfig& config, ZoneSlot& slot)
    : loop_(loop), client_(client), config_(config), slot_(slot) {}

ZoneBuilder::~ZoneBuilder() { stop(); }

void ZoneBuilder::start() {
  if (started_) return;
  started_ = true;
  timer_ = new uv_timer_t;
  uv_timer_init(loop_, timer_);
  timer_->data = this;
  auto informer = [this](const char* group, const char* resource,
                         void (ZoneBuilder::*upsert)(const nlohmann::json&),
                         void (ZoneBuilder::*remove)(const nlohmann::json&)) {
    Informer::Handlers handlers;
    handlers.onUpsert = [this, upsert](const nlohmann::json& o) { (this->*upsert)(o); };
    handlers.onDelete = [this, remove](const nlohmann::json& o) { (this->*remove)(o); };
    informers_.push_back(std::make_unique<Informer>(client_, kindOf(group, resource), "", handlers));
  };
  informer("", "namespaces", &ZoneBuilder::upsertNamespace, &ZoneBuilder::removeNamespace);
  informer("", "services", &ZoneBuilder::upsertService, &ZoneBuilder::removeService);
  informer("discovery.k8s.io", "endpointslices", &ZoneBuilder::upsertSlice, &ZoneBuilder::removeSlice);
  for (auto& i : informers_) i->start();
  publish();
}

void ZoneBuilder::stop() {
  for (auto& i : informers_) i->stop();
  informers_.clear();
  if (timer_) {
    uv_timer_stop(timer_);
    uv_close(reinterpret_cast<uv_handle_t*>(timer_),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
    timer_ = nullptr;
  }
  started_ = false;
}

void ZoneBuilder::upsertService(const nlohmann::json& object) {
  ServiceModel model;
  const auto& spec = object.value("spec", nlohmann::json::object());
  std::string type = spec.value("type", "ClusterIP");
  if (type == "ExternalName") {
    model.kind = ServiceKind::ExternalName;
    model.externalName = spec.value("externalName", "");
  } else if (spec.value("clusterIP", "") == "None") {
    model.kind = ServiceKind::Headless;
  } else {
    std::vector<std::string> ips;
    if (spec.contains("clusterIPs") && spec["clusterIPs"].is_array()) {
      for (const auto& ip : spec["clusterIPs"]) {
        if (ip.is_string()) ips.push_back(ip.get<std::string>());
      }
    }
    if (ips.empty() && spec.contains("clusterIP") && spec["clusterIP"].is_string()) {
      ips.push_back(spec["clusterIP"].get<std::string>());
    }
    for (const auto& ip : ips) {
      Address a = Address::parse(ip);
      if (a.valid()) model.clusterIps.push_back(a);
    }
  }
  readPorts(spec.value("ports", nlohmann::json::array()), &model.ports);
  model.publishNotReady = spec.value("publishNotReadyAddresses", false);
  services_[keyOf(object)] = std::move(model);
  changed();
}

void ZoneBuilder::removeService(const nlohmann::json& object) {
  if (services_.erase(keyOf(object))) changed();
}

void ZoneBuilder::upsertSlice(const nlohmann::json& object) {
  Key key = keyOf(object);
  const auto& labels = object.value("metadata", nlohmann::json::object()).value("labels", nlohmann::json::object());
  std::string service = labels.is_object() ? labels.value("kubernetes.io/service-name", "") : "";
  std::string addressType = object.value("addressType", "");
  if (service.empty() || (addressType != "IPv4" && addressType != "IPv6")) {
    removeSlice(object);  // a label or type change can take a slice out of DNS
    return;
  }
  SliceModel model;
  model.service = lowered(service);
  readPorts(object.value("ports", nlohmann::json::array()), &model.ports);
  const auto& endpoints = object.value("endpoints", nlohmann::json::array());
  if (endpoints.is_array()) {
    for (const auto& e : endpoints) {
      if (!e.is_object()) continue;
      EndpointModel endpoint;
      endpoint.hostname = lowered(e.value("hostname", ""));
      const auto& conditions = e.value("conditions", nlohmann::json::object());
      // Unset ready means ready (EndpointConditions: "nil ... interpret as ready").
      endpoint.ready = !(conditions.is_object() && conditions.contains("ready") &&
                         conditions["ready"].is_boolean() && !conditions["ready"].get<bool>());
      const auto& addresses = e.value("addresses", nlohmann::json::array());
      if (addresses.is_array()) {
        for (const auto& a : addresses) {
          Address parsed = a.is_string() ? Address::parse(a.get<std::string>()) : Address{};
          if (parsed.valid()) endpoint.addresses.push_back(parsed);
        }
      }
      if (!endpoint.addresses.empty()) model.endpoints.push_back(std::move(endpoint));
    }
  }
  slices_[key] = std::move(model);
  changed();
}

void ZoneBuilder::removeSlice(const nlohmann::json& object) {
  if (slices_.erase(keyOf(object))) changed();
}

void ZoneBuilder::upsertNamespace(const nlohmann::json& object) {
  if (namespaces_.insert(lowered(keyOf(object).second)).second) changed();
}

void ZoneBuilder::removeNamespace(const nlohmann::json& object) {
  if (namespaces_.erase(lowered(keyOf(object).second))) changed();
}

void ZoneBuilder::changed() {
  if (!started_ || !timer_ || scheduled_) return;
  scheduled_ = true;
  // Rebuilds are at least as far apart as the last one took, so a burst of
  // thousands of writes cannot spend more than half the loop on rebuilding;
  // a lone change is published on the next loop turn.
  uint64_t gapNs = lastBuildNs_ > 50000000 ? 50000000 : lastBuildNs_;
  uint64_t readyAt = lastBuildEndNs_ + gapNs, now = uv_hrtime();
  uv_timer_start(timer_, onTimer, readyAt > now ? (readyAt - now + 999999) / 1000000 : 0, 0);
}

void ZoneBuilder::onTimer(uv_timer_t* timer) {
  auto* self = static_cast<ZoneBuilder*>(timer->data);
  self->scheduled_ = false;
  self->publish();
}

void ZoneBuilder::publish() {
  uint64_t begin = uv_hrtime();
  ZoneWriter writer(config_.clusterDomain, uint32_t(std::time(nullptr)), 30);
  writer.setDnsAddress(Address::parse(config_.clusterDns));
  for (const auto& ns : namespaces_) writer.addNamespace(ns);

  // Slices grouped by (namespace, service): map order is by slice name, so
  // gather the matching ones per Service through one sorted index.
  std::multimap<Key, const SliceModel*> byService;
  for (const auto& [key, slice] : slices_) byService.emplace(Key{key.first, slice.service}, &slice);

  for (const auto& [key, service] : services_) {
    writer.addService(key.first, key.second, service.kind, service.externalName);
    for (const auto& ip : service.clusterIps) writer.addClusterAddress(ip);
    for (const auto& p : service.ports) writer.addServicePort(p.name, p.protocol, p.number);
    if (service.kind == ServiceKind::ExternalName) continue;
    auto range = byService.equal_range(Key{key.first, lowered(key.second)});
    for (auto it = range.first; it != range.second; ++it) {
      const SliceModel& slice = *it->second;
      writer.beginEndpointPorts();
      for (const auto& p : slice.ports) writer.addEndpointPort(p.name, p.protocol, p.number);
      for (const auto& e : slice.endpoints) {
        if (!e.ready && !service.publishNotReady) continue;
        for (const auto& a : e.addresses) writer.addEndpoint(e.hostname, a);
      }
    }
  }
  slot_.publish(writer.finish());
  lastBuildEndNs_ = uv_hrtime();
  lastBuildNs_ = lastBuildEndNs_ - begin;
}

}  // namespace minik::dns
