// Pod and pod-template defaults (core/v1 SetDefaults_PodSpec, _Container,
// _Probe, ..., plus what Kubernetes' Priority admission and the pod strategy
// fill on a Pod).
#include "api/json_fields.h"
#include "api/kind_rules.h"

namespace minik {

namespace {

// Go's parsers.ParseImageName tag: the reference's tag, "latest" when it has
// neither tag nor digest, "" with a digest only or when the image is empty.
std::string imageTag(const std::string& image) {
  if (image.empty()) return "";
  size_t at = image.find('@');
  std::string name = image.substr(0, at);
  size_t slash = name.rfind('/');
  size_t colon = name.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) return name.substr(colon + 1);
  return at == std::string::npos ? "latest" : "";
}

void defaultProbe(json& container, const char* key) {
  json* probe = member(container, key) ? objectMember(container, key) : nullptr;
  if (probe == nullptr) return;
  defaultValue(*probe, "timeoutSeconds", 1);
  defaultValue(*probe, "periodSeconds", 10);
  defaultValue(*probe, "successThreshold", 1);
  defaultValue(*probe, "failureThreshold", 3);
  if (member(*probe, "httpGet")) {
    if (json* get = objectMember(*probe, "httpGet")) {
      defaultString(*get, "path", "/");
      defaultString(*get, "scheme", "HTTP");
    }
  }
}

void defaultLifecycleHandler(json& lifecycle, const char* key) {
  json* handler = member(lifecycle, key) ? objectMember(lifecycle, key) : nullptr;
  if (handler == nullptr || !member(*handler, "httpGet")) return;
  if (json* get = objectMember(*handler, "httpGet")) {
    defaultString(*get, "path", "/");
    defaultString(*get, "scheme", "HTTP");
  }
}

void defaultContainer(json& c) {
  if (!c.is_object()) return;
  if (isUnset(c, "imagePullPolicy")) {
    c["imagePullPolicy"] = imageTag(stringMember(c, "image")) == "latest" ? "Always" : "IfNotPresent";
  }
  defaultString(c, "terminationMessagePath", "/dev/termination-log");
  defaultString(c, "terminationMessagePolicy", "File");
  defaultValue(c, "resources", json::object());
  if (json* ports = c.contains("ports") && c["ports"].is_array() ? &c["ports"] : nullptr) {
    for (auto& port : *ports) defaultString(port, "protocol", "TCP");
  }
  if (json* env = c.contains("env") && c["env"].is_array() ? &c["env"] : nullptr) {
    for (auto& var : *env) {
      const json* from = member(var, "valueFrom");
      if (from && member(*from, "fieldRef")) {
        if (json* ref = objectMember(var["valueFrom"], "fieldRef")) defaultString(*ref, "apiVersion", "v1");
      }
    }
  }
  defaultProbe(c, "livenessProbe");
  defaultProbe(c, "readinessProbe");
  defaultProbe(c, "startupProbe");
  if (member(c, "lifecycle")) {
    if (json* lifecycle = objectMember(c, "lifecycle")) {
      defaultLifecycleHandler(*lifecycle, "postStart");
      defaultLifecycleHandler(*lifecycle, "preStop");
    }
  }
}

void defaultVolume(json& volume) {
  if (!volume.is_object()) return;
  for (const char* source : {"configMap", "secret", "downwardAPI", "projected"}) {
    if (!member(volume, source)) continue;
    if (json* s = objectMember(volume, source)) defaultValue(*s, "defaultMode", 420);
  }
  if (member(volume, "hostPath")) {
    if (json* s = objectMember(volume, "hostPath")) defaultValue(*s, "type", "");
  }
}

json* arrayMember(json& object, const char* key) {
  return object.is_object() && object.contains(key) && object[key].is_array() ? &object[key] : nullptr;
}

// Limits stand in for unset requests, on Pods only (not templates).
void defaultRequestsFromLimits(json& container) {
  const json* resources = member(container, "resources");
  if (resources == nullptr || !member(*resources, "limits") || !(*resources)["limits"].is_object()) return;
  json* res = objectMember(container, "resources");
  json* requests = objectMember(*res, "requests");
  if (requests == nullptr) return;
  for (const auto& [name, quantity] : (*res)["limits"].items()) {
    if (!requests->contains(name)) (*requests)[name] = quantity;
  }
}

}  // namespace

void defaultPodSpec(json& spec) {
  if (!spec.is_object()) return;
  defaultString(spec, "dnsPolicy", "ClusterFirst");
  defaultString(spec, "restartPolicy", "Always");
  defaultValue(spec, "securityContext", json::object());
  defaultValue(spec, "terminationGracePeriodSeconds", 30);
  defaultString(spec, "schedulerName", "default-scheduler");
  for (const char* list : {"containers", "initContainers"}) {
    if (json* containers = arrayMember(spec, list)) {
      for (auto& c : *containers) defaultContainer(c);
    }
  }
  if (json* volumes = arrayMember(spec, "volumes")) {
    for (auto& v : *volumes) defaultVolume(v);
  }
}

void defaultPod(json& pod) {
  json* spec = objectMember(pod, "spec");
  if (spec == nullptr) return;
  for (const char* list : {"containers", "initContainers"}) {
    if (json* containers = arrayMember(*spec, list)) {
      for (auto& c : *containers) {
        if (c.is_object()) defaultRequestsFromLimits(c);
      }
    }
  }
  defaultPodSpec(*spec);
  defaultValue(*spec, "enableServiceLinks", true);
  // The Priority admission plugin's values when no priority class applies.
  defaultValue(*spec, "priority", 0);
  defaultString(*spec, "preemptionPolicy", "PreemptLowerPriority");
  const json* hostNetwork = member(*spec, "hostNetwork");
  if (hostNetwork && hostNetwork->is_boolean() && hostNetwork->get<bool>()) {
    for (const char* list : {"containers", "initContainers"}) {
      json* containers = arrayMember(*spec, list);
      if (containers == nullptr) continue;
      for (auto& c : *containers) {
        json* ports = arrayMember(c, "ports");
        if (ports == nullptr) continue;
        for (auto& p : *ports) {
          if (p.is_object() && isUnset(p, "hostPort") && member(p, "containerPort")) p["hostPort"] = p["containerPort"];
        }
      }
    }
  }
  json* status = objectMember(pod, "status");
  if (status == nullptr) return;
  defaultString(*status, "phase", "Pending");
  defaultString(*status, "qosClass", podQosClass(*spec));
}

}  // namespace minik
