#include "controllers/service_address_admission.h"

#include <cstdio>

#include "api/field_error.h"
#include "api/status.h"

namespace minik {

using nlohmann::json;

namespace {

std::string keyOf(const json& object) {
  const json& m = object.contains("metadata") ? object["metadata"] : json::object();
  return m.value("namespace", "") + "/" + m.value("name", "");
}

std::string nameOf(const json& object) {
  return object.contains("metadata") ? object["metadata"].value("name", "") : "";
}

json& specOf(json& service) {
  if (!service["spec"].is_object()) service["spec"] = json::object();
  return service["spec"];
}

std::string text(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

int integer(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<int>() : 0;
}

bool needsNodePorts(const json& spec) {
  std::string type = text(spec, "type");
  return type == "NodePort" || type == "LoadBalancer";
}

// Kubernetes' shouldAllocateNodePorts.
bool allocatesNodePorts(const json& spec) {
  if (text(spec, "type") == "NodePort") return true;
  auto it = spec.find("allocateLoadBalancerNodePorts");
  return it == spec.end() || !it->is_boolean() || it->get<bool>();
}

bool needsHealthCheck(const json& spec) {
  return text(spec, "type") == "LoadBalancer" && text(spec, "externalTrafficPolicy") == "Local";
}

std::set<int> nodePortsOf(const json& spec) {
  std::set<int> out;
  auto it = spec.find("ports");
  if (it == spec.end() || !it->is_array()) return out;
  for (const auto& port : *it) {
    if (int n = integer(port, "nodePort")) out.insert(n);
  }
  return out;
}

bool isHeadless(const json& spec) {
  auto it = spec.find("clusterIPs");
  if (it != spec.end() && it->is_array() && !it->empty()) return (*it)[0] == "None";
  return text(spec, "clusterIP") == "None";
}

}  // namespace

ServiceAddressAdmission::ServiceAddressAdmission(uv_loop_t* loop, ClusterClient& client,
                                                 const ClusterConfig& config, RangeBitmap::Random random)
    : client_(client), ports_(30000, 32767, random) {
  ips_ = ClusterIpAllocator::forCidr(config.serviceCidr, &cidrError_, random);
  if (!ips_) {
    std::fprintf(stderr, "minik: service ClusterIPs cannot be allocated: %s\n", cidrError_.c_str());
  } else {
    // Only the Services that ask for these get them: `kubernetes` and kube-dns.
    ips_->neverDynamic(ips_->first());
    if (!config.clusterDns.empty()) ips_->neverDynamic(config.clusterDns);
  }
  checkTimer_ = new uv_timer_t;
  uv_timer_init(loop, checkTimer_);
  checkTimer_->data = this;
  uv_unref(reinterpret_cast<uv_handle_t*>(checkTimer_));

  ClientList services = client_.list(kindOf("", "services"), "");
  if (services.error) {
    std::fprintf(stderr, "minik: cannot list Services to rebuild address allocations: %s\n",
                 services.error->status.value("message", "").c_str());
  }
  for (const auto& service : services.items) hold(keyOf(service), holdingOf(service));
}

ServiceAddressAdmission::~ServiceAddressAdmission() {
  uv_timer_stop(checkTimer_);
  uv_close(reinterpret_cast<uv_handle_t*>(checkTimer_),
           [](uv_handle_t* handle) { delete reinterpret_cast<uv_timer_t*>(handle); });
}

ServiceAddressAdmission::Holding ServiceAddressAdmission::holdingOf(const json& service) {
  Holding h;
  if (!service.contains("spec") || !service["spec"].is_object()) return h;
  const json& spec = service["spec"];
  auto ips = spec.find("clusterIPs");
  if (ips != spec.end() && ips->is_array()) {
    for (const auto& ip : *ips) {
      if (ip.is_string() && ip != "None" && ip != "") h.ips.insert(ip.get<std::string>());
    }
  } else if (std::string ip = text(spec, "clusterIP"); !ip.empty() && ip != "None") {
    h.ips.insert(ip);
  }
  h.ports = nodePortsOf(spec);
  if (int hc = integer(spec, "healthCheckNodePort")) h.ports.insert(hc);
  return h;
}

void ServiceAddressAdmission::hold(const std::string& key, const Holding& holding) {
  Holding& mine = held_[key];
  for (const auto& ip : holding.ips) {
    if (mine.ips.count(ip)) continue;
    if (ips_ && !ips_->allocate(ip)) {
      mine.ips.insert(ip);
    } else if (ips_ && ips_->contains(ip)) {
      std::fprintf(stderr, "minik: Service %s holds ClusterIP %s that another Service holds\n",
                   key.c_str(), ip.c_str());
    }
  }
  for (int port : holding.ports) {
    if (mine.ports.count(port)) continue;
    if (!ports_.allocate(port)) mine.ports.insert(port);
  }
  if (mine.empty()) held_.erase(key);
}

void ServiceAddressAdmission::letGo(const std::string& key, const Holding& holding) {
  auto it = held_.find(key);
  if (it == held_.end()) return;
  for (const auto& ip : holding.ips) {
    if (it->second.ips.erase(ip) && ips_) ips_->release(ip);
  }
  for (int port : holding.ports) {
    if (it->second.ports.erase(port)) ports_.release(port);
  }
  if (it->second.empty()) held_.erase(it);
}

std::optional<ApiError> ServiceAddressAdmission::admit(const KindInfo& kind, json& object,
                                                       const json* old) {
  if (!kind.group.empty() || kind.kind != "Service" || !object.is_object()) return std::nullopt;
  return old ? admitUpdate(kind, object, *old) : admitCreate(kind, object);
}

void ServiceAddressAdmission::released(const KindInfo& kind, const json& object) {
  if (!kind.group.empty() || kind.kind != "Service") return;
  letGo(keyOf(object), holdingOf(object));
}

std::optional<ApiError> ServiceAddressAdmission::admitCreate(const KindInfo& kind, json& service) {
  Holding got;
  std::optional<ApiError> error = allocateClusterIp(kind, service, got);
  if (!error) error = allocateNodePorts(kind, service, nullptr, got);
  if (!error) error = allocateHealthCheckPort(service, nullptr, got);
  const std::string key = keyOf(service);
  // Recorded first so that letGo() can give back a partial allocation.
  Holding& mine = held_[key];
  mine.ips.insert(got.ips.begin(), got.ips.end());
  mine.ports.insert(got.ports.begin(), got.ports.end());
  if (error) letGo(key, got);
  return error;
}

std::optional<ApiError> ServiceAddressAdmission::admitUpdate(const KindInfo& kind, json& service,
                                                             const json& old) {
  Holding got;
  json& spec = specOf(service);
  const json empty = json::object();
  const json& oldSpec = old.contains("spec") && old["spec"].is_object() ? old["spec"] : empty;
  std::optional<ApiError> error;
  if (text(oldSpec, "type") == "ExternalName" && text(spec, "type") != "ExternalName") {
    error = allocateClusterIp(kind, service, got);
  }
  if (!error) error = allocateNodePorts(kind, service, &old, got);
  if (!error) error = allocateHealthCheckPort(service, &old, got);
  const std::string key = keyOf(service);
  Holding& mine = held_[key];
  mine.ips.insert(got.ips.begin(), got.ips.end());
  mine.ports.insert(got.ports.begin(), got.ports.end());
  if (error) {
    letGo(key, got);
    return error;
  }
  Holding before = holdingOf(old), after = holdingOf(service);
  if (before.ips != after.ips || before.ports != after.ports) scheduleCheck(key);
  return std::nullopt;
}

std::optional<ApiError> ServiceAddressAdmission::allocateClusterIp(const KindInfo& kind, json& service,
                                                                   Holding& got) {
  json& spec = specOf(service);
  if (text(spec, "type") == "ExternalName" || isHeadless(spec)) return std::nullopt;
  const std::string name = nameOf(service);
  FieldErrors errors;
  if (text(spec, "ipFamilyPolicy") == "RequireDualStack") {
    errors.push_back(invalidError("spec.ipFamilyPolicy", BadValue::quoted("RequireDualStack"),
                                  "this cluster is not configured for dual-stack services"));
  }
  if (spec.contains("ipFamilies") && spec["ipFamilies"].is_array()) {
    for (size_t i = 0; i < spec["ipFamilies"].size(); ++i) {
      const json& family = spec["ipFamilies"][i];
      if (family != "IPv4") {
        errors.push_back(invalidError("spec.ipFamilies[" + std::to_string(i) + "]",
                                      BadValue::of(family), "not configured on this cluster"));
      }
    }
  }
  if (!errors.empty()) return invalid(kind, name, errors);
  if (!ips_) return internalError("failed to allocate a serviceIP: " + cidrError_);

  const json* requested = spec.contains("clusterIPs") ? &spec["clusterIPs"] : nullptr;
  std::string ip = text(spec, "clusterIP");
  if (requested && requested->is_array() && !requested->empty() && (*requested)[0].is_string()) {
    ip = (*requested)[0].get<std::string>();
  }
  if (ip.empty()) {
    std::optional<std::string> next = ips_->allocateNext();
    if (!next) return internalError("failed to allocate a serviceIP: range is full");
    ip = *next;
  } else if (std::optional<std::string> why = ips_->allocate(ip)) {
    json shown = requested ? *requested : json::array({ip});
    return invalid(kind, name,
                   {invalidError("spec.clusterIPs", BadValue::stringList(&shown),
                                 "failed to allocate IP " + ip + ": " + *why)});
  }
  got.ips.insert(ip);
  spec["clusterIP"] = ip;
  spec["clusterIPs"] = json::array({ip});
  spec["ipFamilies"] = json::array({"IPv4"});
  if (text(spec, "ipFamilyPolicy").empty()) spec["ipFamilyPolicy"] = "SingleStack";
  return std::nullopt;
}

std::optional<ApiError> ServiceAddressAdmission::allocateNodePorts(const KindInfo& kind, json& service,
                                                                   const json* old, Holding& got) {
  json& spec = specOf(service);
  if (!needsNodePorts(spec) || !spec.contains("ports") || !spec["ports"].is_array()) return std::nullopt;
  json& ports = spec["ports"];
  const bool allocate = allocatesNodePorts(spec);
  const std::string name = nameOf(service);
  auto refuse = [&](size_t i, int port, const std::string& why) {
    return invalid(kind, name,
                   {invalidError("spec.ports[" + std::to_string(i) + "].nodePort", BadValue::number(port), why)});
  };
  auto next = [&]() -> std::optional<int> {
    std::optional<int> port = ports_.allocateNext();
    if (port) got.ports.insert(*port);
    return port;
  };
  const std::string full = "failed to allocate a nodePort: range is full";

  if (!old) {
    // Kubernetes' initNodePorts: ports of the same number share one nodePort.
    std::map<int, int> byServicePort;
    for (size_t i = 0; i < ports.size(); ++i) {
      json& port = ports[i];
      int wanted = integer(port, "nodePort");
      if (wanted == 0 && !allocate) continue;
      int number = integer(port, "port");
      int shared = byServicePort.count(number) ? byServicePort[number] : 0;
      if (shared == 0) {
        int requested = 0;
        for (const auto& other : ports) {
          if (integer(other, "port") == number && integer(other, "nodePort") != 0) {
            requested = integer(other, "nodePort");
            break;
          }
        }
        if (requested != 0) {
          if (auto why = ports_.allocate(requested)) return refuse(i, requested, *why);
          got.ports.insert(requested);
          port["nodePort"] = requested;
          byServicePort[number] = requested;
        } else {
          std::optional<int> fresh = next();
          if (!fresh) return internalError(full);
          port["nodePort"] = *fresh;
          byServicePort[number] = *fresh;
        }
      } else if (wanted != shared) {
        if (wanted == 0) {
          port["nodePort"] = shared;
        } else {
          if (auto why = ports_.allocate(wanted)) return refuse(i, wanted, *why);
          got.ports.insert(wanted);
        }
      }
    }
    return std::nullopt;
  }

  // Update. A port that lost its nodePort (a PUT without it) gets back the
  // one it had, by name, as Kubernetes' patchAllocatedValues does.
  const json empty = json::object();
  const json& oldSpec = old->contains("spec") && (*old)["spec"].is_object() ? (*old)["spec"] : empty;
  std::set<int> oldNumbers = nodePortsOf(oldSpec);
  if (needsNodePorts(oldSpec)) {
    std::set<int> now = nodePortsOf(spec);
    std::map<std::string, int> oldByName;
    if (oldSpec.contains("ports") && oldSpec["ports"].is_array()) {
      for (const auto& port : oldSpec["ports"]) oldByName[text(port, "name")] = integer(port, "nodePort");
    }
    for (auto& port : ports) {
      if (integer(port, "nodePort") != 0) continue;
      int was = oldByName.count(text(port, "name")) ? oldByName[text(port, "name")] : 0;
      if (was != 0 && !(oldNumbers.count(was) && now.count(was))) port["nodePort"] = was;
    }
  }
  std::set<int> taken;
  for (size_t i = 0; i < ports.size(); ++i) {
    json& port = ports[i];
    int wanted = integer(port, "nodePort");
    if (wanted == 0 && !allocate) continue;
    if (wanted != 0) {
      if (oldNumbers.count(wanted) || taken.count(wanted)) continue;
      if (auto why = ports_.allocate(wanted)) return refuse(i, wanted, *why);
      got.ports.insert(wanted);
      taken.insert(wanted);
    } else {
      std::optional<int> fresh = next();
      if (!fresh) return internalError(full);
      port["nodePort"] = *fresh;
    }
  }
  return std::nullopt;
}

std::optional<ApiError> ServiceAddressAdmission::allocateHealthCheckPort(json& service, const json* old,
                                                                         Holding& got) {
  json& spec = specOf(service);
  const json empty = json::object();
  const json& oldSpec = old && old->contains("spec") && (*old)["spec"].is_object() ? (*old)["spec"] : empty;
  const bool needed = old && needsHealthCheck(oldSpec);
  const bool needs = needsHealthCheck(spec);
  int requested = integer(spec, "healthCheckNodePort");
  if (needed && !needs) {
    spec.erase("healthCheckNodePort");
    return std::nullopt;
  }
  if (needed && needs) {
    int was = integer(oldSpec, "healthCheckNodePort");
    if (requested == 0) spec["healthCheckNodePort"] = was;
    else if (requested != was) {
      return invalid(kindOf("", "services"), nameOf(service),
                     {invalidError("spec.healthCheckNodePort", BadValue::number(requested),
                                   "cannot change healthCheckNodePort on loadBalancer service with "
                                   "externalTraffic=Local during update")});
    }
    return std::nullopt;
  }
  if (!needs) return std::nullopt;
  if (requested != 0) {
    if (auto why = ports_.allocate(requested)) {
      return internalError("failed to allocate requested HealthCheck NodePort " +
                           std::to_string(requested) + ": " + *why);
    }
    got.ports.insert(requested);
    return std::nullopt;
  }
  std::optional<int> port = ports_.allocateNext();
  if (!port) return internalError("failed to allocate a HealthCheck NodePort 0: range is full");
  got.ports.insert(*port);
  spec["healthCheckNodePort"] = *port;
  return std::nullopt;
}

void ServiceAddressAdmission::scheduleCheck(const std::string& key) {
  toCheck_.insert(key);
  uv_timer_start(checkTimer_, [](uv_timer_t* t) {
    static_cast<ServiceAddressAdmission*>(t->data)->reconcileUpdated();
  }, 0, 0);
}

void ServiceAddressAdmission::reconcileUpdated() {
  std::set<std::string> keys;
  keys.swap(toCheck_);
  for (const auto& key : keys) {
    size_t slash = key.find('/');
    ClientResult stored = client_.get(kindOf("", "services"), key.substr(0, slash), key.substr(slash + 1));
    Holding truth;
    if (stored.ok()) truth = holdingOf(stored.object);
    else if (stored.code() != 404) continue;  // unknown: keep everything for now
    auto it = held_.find(key);
    Holding stale;
    if (it != held_.end()) {
      for (const auto& ip : it->second.ips) if (!truth.ips.count(ip)) stale.ips.insert(ip);
      for (int port : it->second.ports) if (!truth.ports.count(port)) stale.ports.insert(port);
    }
    letGo(key, stale);
    hold(key, truth);
  }
}

}  // namespace minik
