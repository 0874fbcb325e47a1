// `minik describe`: kubectl's readable summaries of the kinds minik serves,
// each followed by the events about the object.
#include <time.h>

#include <cstdio>
#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "cli/command_context.h"
#include "cli/last_applied.h"
#include "cli/tab_writer.h"

namespace minik {

namespace {

using json = nlohmann::json;

// kubectl's describe writer: "Key:\tvalue" lines, two spaces per level.
class Description {
 public:
  void line(int level, const char* key, const std::string& value) {
    text_.append(level * 2, ' ').append(key).append(":\t").append(value).append("\n");
  }
  void heading(int level, const std::string& key) { text_.append(level * 2, ' ').append(key).append(":\n"); }
  void raw(const std::string& text) { text_ += text; }
  // Labels or annotations: the first on the key's line, the others below.
  void map(int level, const char* key, const json& values, const char* separator) {
    std::vector<std::string> entries;
    if (values.is_object()) {
      for (auto it = values.begin(); it != values.end(); ++it) {
        if (it.key() == kLastAppliedAnnotation) continue;
        std::string v = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
        if (std::string(separator) == ": " && v.size() > 140) v = v.substr(0, 140) + "...";
        entries.push_back(it.key() + separator + v);
      }
    }
    if (entries.empty()) {
      line(level, key, "<none>");
      return;
    }
    line(level, key, entries[0]);
    for (size_t i = 1; i < entries.size(); ++i) text_ += std::string(level * 2, ' ') + "\t" + entries[i] + "\n";
  }
  std::string finish() const { return tabAlign(text_, 0, 2); }

 private:
  std::string text_;
};

// Keys and fallbacks are C strings: describers make hundreds of these calls,
// and std::string temporaries at each would weigh on the binary.
const json& field(const json& object, const char* key) {
  static const json null;
  if (!object.is_object()) return null;
  auto it = object.find(key);
  return it == object.end() ? null : *it;
}

std::string str(const json& object, const char* key, const char* fallback = "") {
  const json& v = field(object, key);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return fallback;
  return v.dump();
}

std::string selectorText(const json& selector) {
  std::string out;
  if (!selector.is_object()) return "<none>";
  for (auto it = selector.begin(); it != selector.end(); ++it) {
    if (!out.empty()) out += ",";
    out += it.key() + "=" + (it.value().is_string() ? it.value().get<std::string>() : it.value().dump());
  }
  return out.empty() ? "<none>" : out;
}

std::string labelSelectorText(const json& selector) {
  if (!selector.is_object()) return "<none>";
  std::string out = selectorText(field(selector, "matchLabels"));
  if (out == "<none>") out.clear();
  for (const auto& e : field(selector, "matchExpressions").is_array() ? field(selector, "matchExpressions") : json::array()) {
    std::string op = str(e, "operator");
    std::string values;
    for (const auto& v : field(e, "values").is_array() ? field(e, "values") : json::array()) {
      values += (values.empty() ? "" : ",") + v.get<std::string>();
    }
    std::string term = op == "In" ? str(e, "key") + " in (" + values + ")"
                       : op == "NotIn" ? str(e, "key") + " notin (" + values + ")"
                       : op == "Exists" ? str(e, "key") : "!" + str(e, "key");
    out += (out.empty() ? "" : ",") + term;
  }
  return out.empty() ? "<none>" : out;
}

// "2026-11-26T10:23:08Z" (RFC 3339 as the API writes it) to seconds.
time_t parseTime(const std::string& stamp) {
  struct tm tm = {};
  if (stamp.size() < 19 || std::sscanf(stamp.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
                                       &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
    return 0;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return timegm(&tm);
}

std::string rfc1123z(const std::string& stamp) {
  time_t t = parseTime(stamp);
  if (t == 0) return "<unknown>";
  struct tm local;
  localtime_r(&t, &local);
  char buf[64];
  strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S %z", &local);
  return buf;
}

// k8s.io/apimachinery duration.HumanDuration.
std::string humanDuration(long seconds) {
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return std::to_string(seconds) + "s";
  long minutes = seconds / 60;
  if (minutes < 10) {
    long s = seconds % 60;
    return std::to_string(minutes) + "m" + (s ? std::to_string(s) + "s" : "");
  }
  if (minutes < 180) return std::to_string(minutes) + "m";
  long hours = seconds / 3600;
  if (hours < 8) {
    long m = minutes % 60;
    return std::to_string(hours) + "h" + (m ? std::to_string(m) + "m" : "");
  }
  if (hours < 48) return std::to_string(hours) + "h";
  if (hours < 24 * 8) {
    long h = hours % 24;
    return std::to_string(hours / 24) + "d" + (h ? std::to_string(h) + "h" : "");
  }
  if (hours < 24 * 365 * 2) return std::to_string(hours / 24) + "d";
  if (hours < 24 * 365 * 8) {
    long d = (hours / 24) % 365;
    return std::to_string(hours / 24 / 365) + "y" + (d ? std::to_string(d) + "d" : "");
  }
  return std::to_string(hours / 24 / 365) + "y";
}

std::string portText(const json& port, const char* numberKey) {
  std::string number = str(port, numberKey);
  std::string protocol = str(port, "protocol", "TCP");
  return number.empty() ? "<none>" : number + "/" + protocol;
}

void describeMeta(Description& d, const json& object, bool namespaced) {
  const json& md = field(object, "metadata");
  d.line(0, "Name", str(md, "name"));
  if (namespaced) d.line(0, "Namespace", str(md, "namespace"));
}

// Container names at level 1 (after namePrefix), their fields at level 2, as
// kubectl's describeContainers writes them for pods ("") and templates (" ").
void describeContainers(Description& d, const std::string& namePrefix, const json& containers,
                        const json& statuses) {
  for (const auto& c : containers.is_array() ? containers : json::array()) {
    d.heading(1, namePrefix + str(c, "name"));
    int l = 2;
    d.line(l, "Image", str(c, "image"));
    const json& ports = field(c, "ports");
    if (ports.is_array() && !ports.empty()) {
      std::string p, hp;
      for (const auto& port : ports) {
        p += (p.empty() ? "" : ", ") + portText(port, "containerPort");
        hp += (hp.empty() ? "" : ", ") + str(port, "hostPort", "0") + "/" + str(port, "protocol", "TCP");
      }
      d.line(l, ports.size() > 1 ? "Ports" : "Port", p);
      d.line(l, ports.size() > 1 ? "Host Ports" : "Host Port", hp);
    } else {
      d.line(l, "Port", "<none>");
      d.line(l, "Host Port", "<none>");
    }
    if (field(c, "command").is_array()) {
      d.heading(l, "Command");
      for (const auto& a : field(c, "command")) d.raw(std::string(l * 2 + 2, ' ') + a.get<std::string>() + "\n");
    }
    if (field(c, "args").is_array()) {
      d.heading(l, "Args");
      for (const auto& a : field(c, "args")) d.raw(std::string(l * 2 + 2, ' ') + a.get<std::string>() + "\n");
    }
    for (const auto& s : statuses.is_array() ? statuses : json::array()) {
      if (str(s, "name") != str(c, "name")) continue;
      const json& state = field(s, "state");
      std::string stateName = state.is_object() && !state.empty() ? state.begin().key() : "Waiting";
      stateName[0] = static_cast<char>(std::toupper(stateName[0]));
      d.line(l, "State", stateName);
      d.line(l, "Ready", field(s, "ready").is_boolean() && s["ready"].get<bool>() ? "True" : "False");
      d.line(l, "Restart Count", str(s, "restartCount", "0"));
    }
    const json& env = field(c, "env");
    if (env.is_array() && !env.empty()) {
      d.heading(l, "Environment");
      for (const auto& e : env) d.raw(std::string(l * 2 + 2, ' ') + str(e, "name") + ":\t" + str(e, "value") + "\n");
    } else {
      d.line(l, "Environment", "<none>");
    }
    const json& mounts = field(c, "volumeMounts");
    if (mounts.is_array() && !mounts.empty()) {
      d.heading(l, "Mounts");
      for (const auto& m : mounts) {
        d.raw(std::string(l * 2 + 2, ' ') + str(m, "mountPath") + " from " + str(m, "name") +
              (field(m, "readOnly").is_boolean() && m["readOnly"].get<bool>() ? " (ro)" : " (rw)") + "\n");
      }
    } else {
      d.line(l, "Mounts", "<none>");
    }
  }
}

void describePodTemplate(Description& d, const json& templ) {
  d.heading(0, "Pod Template");
  d.map(1, "Labels", field(field(templ, "metadata"), "labels"), "=");
  const json& spec = field(templ, "spec");
  d.heading(1, "Containers");
  describeContainers(d, " ", field(spec, "containers"), json());
  const json& volumes = field(spec, "volumes");
  d.line(1, "Volumes", volumes.is_array() && !volumes.empty() ? std::to_string(volumes.size()) : "<none>");
  d.line(1, "Node-Selectors", selectorText(field(spec, "nodeSelector")));
  d.line(1, "Tolerations", field(spec, "tolerations").is_array() ? "present" : "<none>");
}

void describeConditions(Description& d, const json& conditions) {
  if (!conditions.is_array() || conditions.empty()) return;
  d.heading(0, "Conditions");
  d.raw("  Type\tStatus\tReason\n  ----\t------\t------\n");
  for (const auto& c : conditions) {
    d.raw("  " + str(c, "type") + "\t" + str(c, "status") + "\t" + str(c, "reason", "") + "\n");
  }
}

void describeNamespace(Description& d, const json& o) {
  describeMeta(d, o, false);
  d.map(0, "Labels", field(field(o, "metadata"), "labels"), "=");
  d.map(0, "Annotations", field(field(o, "metadata"), "annotations"), ": ");
  d.line(0, "Status", str(field(o, "status"), "phase", "Active"));
}

void describeService(Description& d, const json& o, CommandContext& context) {
  describeMeta(d, o, true);
  const json& md = field(o, "metadata");
  const json& spec = field(o, "spec");
  d.map(0, "Labels", field(md, "labels"), "=");
  d.map(0, "Annotations", field(md, "annotations"), ": ");
  d.line(0, "Selector", selectorText(field(spec, "selector")));
  d.line(0, "Type", str(spec, "type", "ClusterIP"));
  if (field(spec, "ipFamilyPolicy").is_string()) d.line(0, "IP Family Policy", str(spec, "ipFamilyPolicy"));
  if (field(spec, "ipFamilies").is_array()) {
    std::string f;
    for (const auto& v : spec["ipFamilies"]) f += (f.empty() ? "" : ",") + v.get<std::string>();
    d.line(0, "IP Families", f);
  }
  std::string ip = str(spec, "clusterIP");
  if (!ip.empty()) d.line(0, "IP", ip);
  if (field(spec, "clusterIPs").is_array()) {
    std::string ips;
    for (const auto& v : spec["clusterIPs"]) ips += (ips.empty() ? "" : ",") + v.get<std::string>();
    d.line(0, "IPs", ips);
  }
  // Endpoints come from the EndpointSlices of the service, as kubectl reads them.
  std::string endpoints;
  ApiResponse slices = context.client.get("/apis/discovery.k8s.io/v1/namespaces/" + str(md, "namespace") +
                                          "/endpointslices?labelSelector=" +
                                          queryEscape("kubernetes.io/service-name=" + str(md, "name")));
  for (const auto& port : field(spec, "ports").is_array() ? spec["ports"] : json::array()) {
    std::string name = str(port, "name");
    d.line(0, "Port", (name.empty() ? "<unset>" : name) + "  " + portText(port, "port"));
    std::string target = str(port, "targetPort");
    if (target.empty()) target = str(port, "port");
    d.line(0, "TargetPort", target + "/" + str(port, "protocol", "TCP"));
    if (str(port, "nodePort") != "") d.line(0, "NodePort", (name.empty() ? "<unset>" : name) + "  " + portText(port, "nodePort"));
    endpoints.clear();
    if (slices.ok()) {
      for (const auto& slice : slices.body.value("items", json::array())) {
        std::string portNumber;
        for (const auto& sp : field(slice, "ports").is_array() ? slice["ports"] : json::array()) {
          if (str(sp, "name") == name) portNumber = str(sp, "port");
        }
        for (const auto& ep : field(slice, "endpoints").is_array() ? slice["endpoints"] : json::array()) {
          const json& ready = field(field(ep, "conditions"), "ready");
          if (ready.is_boolean() && !ready.get<bool>()) continue;
          for (const auto& a : field(ep, "addresses").is_array() ? ep["addresses"] : json::array()) {
            endpoints += (endpoints.empty() ? "" : ",") + a.get<std::string>() + ":" + portNumber;
          }
        }
      }
    }
    d.line(0, "Endpoints", endpoints);
  }
  d.line(0, "Session Affinity", str(spec, "sessionAffinity", "None"));
  if (field(spec, "internalTrafficPolicy").is_string()) d.line(0, "Internal Traffic Policy", str(spec, "internalTrafficPolicy"));
}

void describePod(Description& d, const json& o) {
  describeMeta(d, o, true);
  const json& md = field(o, "metadata");
  const json& spec = field(o, "spec");
  const json& status = field(o, "status");
  d.line(0, "Priority", str(spec, "priority", "0"));
  if (!str(spec, "serviceAccountName").empty()) d.line(0, "Service Account", str(spec, "serviceAccountName"));
  std::string node = str(spec, "nodeName");
  d.line(0, "Node", node.empty() ? "<none>" : node + "/" + str(status, "hostIP"));
  if (field(status, "startTime").is_string()) d.line(0, "Start Time", rfc1123z(str(status, "startTime")));
  d.map(0, "Labels", field(md, "labels"), "=");
  d.map(0, "Annotations", field(md, "annotations"), ": ");
  d.line(0, "Status", field(md, "deletionTimestamp").is_string() ? "Terminating" : str(status, "phase", "Pending"));
  d.line(0, "IP", str(status, "podIP"));
  const json& ips = field(status, "podIPs");
  if (ips.is_array() && !ips.empty()) {
    d.heading(0, "IPs");
    for (const auto& ip : ips) d.line(1, "IP", str(ip, "ip"));
  } else {
    d.line(0, "IPs", "<none>");
  }
  d.heading(0, "Containers");
  describeContainers(d, "", field(spec, "containers"), field(status, "containerStatuses"));
  const json& conditions = field(status, "conditions");
  if (conditions.is_array() && !conditions.empty()) {
    d.raw("Conditions:\n  Type\tStatus\n");
    for (const auto& c : conditions) d.raw("  " + str(c, "type") + " \t" + str(c, "status") + " \n");
  }
  const json& volumes = field(spec, "volumes");
  if (volumes.is_array() && !volumes.empty()) {
    d.heading(0, "Volumes");
    for (const auto& v : volumes) {
      d.heading(1, str(v, "name"));
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (it.key() != "name") d.line(2, "Type", it.key());
      }
    }
  } else {
    d.line(0, "Volumes", "<none>");
  }
  d.line(0, "QoS Class", str(status, "qosClass", "BestEffort"));
  d.line(0, "Node-Selectors", selectorText(field(spec, "nodeSelector")));
  std::string tolerations;
  for (const auto& t : field(spec, "tolerations").is_array() ? spec["tolerations"] : json::array()) {
    std::string text = str(t, "key");
    if (str(t, "operator") == "Equal" || !str(t, "value").empty()) text += "=" + str(t, "value");
    if (!str(t, "effect").empty()) text += ":" + str(t, "effect");
    if (!str(t, "operator").empty() && str(t, "operator") == "Exists" && str(t, "key").empty()) text = "op=Exists";
    if (!str(t, "tolerationSeconds").empty()) text += " for " + str(t, "tolerationSeconds") + "s";
    tolerations += (tolerations.empty() ? "" : "\n\t") + text;
  }
  d.line(0, "Tolerations", tolerations.empty() ? "<none>" : tolerations);
}

// "name (ready/desired replicas created)" for the ReplicaSets a Deployment
// owns: the one of its current revision, and the others.
void describeReplicaSets(Description& d, const json& deployment, CommandContext& context) {
  const json& md = field(deployment, "metadata");
  std::string revision = str(field(md, "annotations"), "deployment.kubernetes.io/revision");
  ApiResponse r = context.client.get("/apis/apps/v1/namespaces/" + str(md, "namespace") + "/replicasets");
  std::string newSet, oldSets;
  for (const auto& rs : r.ok() ? r.body.value("items", json::array()) : json::array()) {
    const json& rmd = field(rs, "metadata");
    bool owned = false;
    for (const auto& owner : field(rmd, "ownerReferences").is_array() ? rmd["ownerReferences"] : json::array()) {
      owned = owned || str(owner, "uid") == str(md, "uid");
    }
    if (!owned) continue;
    std::string text = str(rmd, "name") + " (" + str(field(rs, "status"), "replicas", "0") + "/" +
                       str(field(rs, "spec"), "replicas", "0") + " replicas created)";
    if (!revision.empty() && str(field(rmd, "annotations"), "deployment.kubernetes.io/revision") == revision) {
      newSet = text;
    } else if (str(field(rs, "spec"), "replicas", "0") != "0" || str(field(rs, "status"), "replicas", "0") != "0") {
      oldSets += (oldSets.empty() ? "" : ", ") + text;
    }
  }
  d.line(0, "OldReplicaSets", oldSets.empty() ? "<none>" : oldSets);
  d.line(0, "NewReplicaSet", newSet.empty() ? "<none>" : newSet);
}

void describeWorkload(Description& d, const json& o, bool deployment, CommandContext& context) {
  describeMeta(d, o, true);
  const json& md = field(o, "metadata");
  const json& spec = field(o, "spec");
  const json& status = field(o, "status");
  if (deployment) d.line(0, "CreationTimestamp", rfc1123z(str(md, "creationTimestamp")));
  if (!deployment) {
    d.line(0, "Selector", labelSelectorText(field(spec, "selector")));
    d.map(0, "Labels", field(md, "labels"), "=");
    d.map(0, "Annotations", field(md, "annotations"), ": ");
    const json& owners = field(md, "ownerReferences");
    if (owners.is_array() && !owners.empty()) {
      d.line(0, "Controlled By", str(owners[0], "kind") + "/" + str(owners[0], "name"));
    }
    d.line(0, "Replicas", str(status, "replicas", "0") + " current / " + str(spec, "replicas", "1") + " desired");
    // Pods by phase, among those the ReplicaSet owns.
    int running = 0, waiting = 0, succeeded = 0, failed = 0;
    ApiResponse pods = context.client.get("/api/v1/namespaces/" + str(md, "namespace") + "/pods");
    for (const auto& pod : pods.ok() ? pods.body.value("items", json::array()) : json::array()) {
      bool owned = false;
      const json& owners = field(field(pod, "metadata"), "ownerReferences");
      for (const auto& owner : owners.is_array() ? owners : json::array()) owned = owned || str(owner, "uid") == str(md, "uid");
      if (!owned) continue;
      std::string phase = str(field(pod, "status"), "phase", "Pending");
      running += phase == "Running";
      waiting += phase == "Pending";
      succeeded += phase == "Succeeded";
      failed += phase == "Failed";
    }
    d.line(0, "Pods Status", std::to_string(running) + " Running / " + std::to_string(waiting) + " Waiting / " +
                                 std::to_string(succeeded) + " Succeeded / " + std::to_string(failed) + " Failed");
    describePodTemplate(d, field(spec, "template"));
    describeConditions(d, field(status, "conditions"));
    return;
  }
  d.map(0, "Labels", field(md, "labels"), "=");
  d.map(0, "Annotations", field(md, "annotations"), ": ");
  d.line(0, "Selector", labelSelectorText(field(spec, "selector")));
  std::string replicas = str(spec, "replicas", "1");
  long total = std::strtol(str(status, "replicas", "0").c_str(), nullptr, 10);
  long available = std::strtol(str(status, "availableReplicas", "0").c_str(), nullptr, 10);
  d.line(0, "Replicas", replicas + " desired | " + str(status, "updatedReplicas", "0") + " updated | " +
                           std::to_string(total) + " total | " + std::to_string(available) + " available | " +
                           str(status, "unavailableReplicas", "0") + " unavailable");
  const json& strategy = field(spec, "strategy");
  d.line(0, "StrategyType", str(strategy, "type", "RollingUpdate"));
  d.line(0, "MinReadySeconds", str(spec, "minReadySeconds", "0"));
  const json& rolling = field(strategy, "rollingUpdate");
  if (rolling.is_object()) {
    d.line(0, "RollingUpdateStrategy", str(rolling, "maxUnavailable", "25%") + " max unavailable, " +
                                           str(rolling, "maxSurge", "25%") + " max surge");
  }
  describePodTemplate(d, field(spec, "template"));
  describeConditions(d, field(status, "conditions"));
  describeReplicaSets(d, o, context);
}

void describeConfigMap(Description& d, const json& o) {
  describeMeta(d, o, true);
  d.map(0, "Labels", field(field(o, "metadata"), "labels"), "=");
  d.map(0, "Annotations", field(field(o, "metadata"), "annotations"), ": ");
  d.raw("\nData\n====\n");
  const json& data = field(o, "data");
  if (data.is_object()) {
    for (auto it = data.begin(); it != data.end(); ++it) {
      const json& v = it.value();
      d.raw(it.key() + ":\n----\n" + (v.is_string() ? v.get<std::string>() : v.dump()) + "\n\n");
    }
  }
  d.raw("\nBinaryData\n====\n\n");
}

// Any other kind: metadata, then the fields below, as kubectl's generic
// describer walks them.
void describeFields(Description& d, int level, const json& value) {
  for (auto it = value.begin(); it != value.end(); ++it) {
    std::string key = it.key();
    if (!key.empty()) key[0] = static_cast<char>(std::toupper(key[0]));
    const json& v = it.value();
    if (v.is_object()) {
      d.heading(level, key);
      describeFields(d, level + 1, v);
    } else if (v.is_array()) {
      d.heading(level, key);
      for (const auto& item : v) {
        if (item.is_object()) describeFields(d, level + 1, item);
        else d.raw(std::string((level + 1) * 2, ' ') + (item.is_string() ? item.get<std::string>() : item.dump()) + "\n");
      }
    } else {
      d.line(level, key.c_str(), v.is_string() ? v.get<std::string>() : v.dump());
    }
  }
}

void describeGeneric(Description& d, const json& o, bool namespaced) {
  describeMeta(d, o, namespaced);
  d.map(0, "Labels", field(field(o, "metadata"), "labels"), "=");
  d.map(0, "Annotations", field(field(o, "metadata"), "annotations"), ": ");
  d.line(0, "API Version", str(o, "apiVersion"));
  d.line(0, "Kind", str(o, "kind"));
  json rest = o;
  for (const char* k : {"metadata", "apiVersion", "kind"}) rest.erase(k);
  describeFields(d, 0, rest);
}

void describeEvents(Description& d, const ResourceType& type, const json& o, CommandContext& context) {
  const json& md = field(o, "metadata");
  std::string ns = str(md, "namespace");
  std::string selector = "involvedObject.name=" + str(md, "name") + ",involvedObject.namespace=" + ns +
                         ",involvedObject.kind=" + type.kind + ",involvedObject.uid=" + str(md, "uid");
  ApiResponse r = context.client.get("/api/v1" + (ns.empty() ? std::string() : "/namespaces/" + ns) +
                                     "/events?fieldSelector=" + queryEscape(selector));
  json events = r.ok() ? r.body.value("items", json::array()) : json::array();
  if (events.empty()) {
    d.line(0, "Events", "<none>");
    return;
  }
  auto lastSeen = [](const json& e) {
    std::string t = str(e, "lastTimestamp");
    if (t.empty()) t = str(e, "eventTime");
    if (t.empty()) t = str(field(e, "metadata"), "creationTimestamp");
    return t;
  };
  // Oldest first; an insertion sort keeps the order of events seen in the same second.
  for (size_t i = 1; i < events.size(); ++i) {
    for (size_t j = i; j > 0 && parseTime(lastSeen(events[j])) < parseTime(lastSeen(events[j - 1])); --j) {
      std::swap(events[j], events[j - 1]);
    }
  }
  time_t now = time(nullptr);
  d.heading(0, "Events");
  d.raw("  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n");
  for (const auto& e : events) {
    std::string age = humanDuration(static_cast<long>(now - parseTime(lastSeen(e))));
    long count = std::strtol(str(e, "count", "1").c_str(), nullptr, 10);
    if (count > 1) {
      std::string first = str(e, "firstTimestamp");
      if (first.empty()) first = lastSeen(e);
      age += " (x" + std::to_string(count) + " over " + humanDuration(static_cast<long>(now - parseTime(first))) + ")";
    }
    std::string from = str(field(e, "source"), "component");
    if (from.empty()) from = str(e, "reportingComponent");
    std::string host = str(field(e, "source"), "host");
    if (!host.empty()) from += ", " + host;
    std::string message = str(e, "message");
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    d.raw("  " + str(e, "type") + "\t" + str(e, "reason") + "\t" + age + "\t" + from + "\t" + message + "\n");
  }
}

std::string describe(const ResourceType& type, const json& object, CommandContext& context) {
  Description d;
  if (type.group.empty() && type.kind == "Namespace") describeNamespace(d, object);
  else if (type.group.empty() && type.kind == "Service") describeService(d, object, context);
  else if (type.group.empty() && type.kind == "Pod") describePod(d, object);
  else if (type.group.empty() && type.kind == "ConfigMap") describeConfigMap(d, object);
  else if (type.group == "apps" && type.kind == "Deployment") describeWorkload(d, object, true, context);
  else if (type.group == "apps" && type.kind == "ReplicaSet") describeWorkload(d, object, false, context);
  else describeGeneric(d, object, type.namespaced);
  // kubectl lists no events for namespaces (they would be the namespace's own).
  if (!(type.group.empty() && type.kind == "Namespace")) describeEvents(d, type, object, context);
  return d.finish();
}

}  // namespace

void declareDescribeFlags(CliFlags& flags) {
  flags.value("selector", 'l', "", "Describe the objects matching this label selector");
  flags.boolean("all-namespaces", 'A', false, "Look in every namespace");
}

int runDescribe(const CliFlags& flags, CommandContext& context) {
  const auto& args = flags.positional();
  if (args.empty()) {
    printError("you must specify the type of resource to describe, e.g. 'minik describe pod NAME'\n"
               "See 'minik describe --help' for usage.");
    return 1;
  }
  std::string error;
  std::vector<std::pair<const ResourceType*, std::string>> targets;  // name "" = the collection
  if (args[0].find('/') != std::string::npos) {
    for (const auto& arg : args) {
      size_t slash = arg.find('/');
      const ResourceType* type = context.resolver->byName(arg.substr(0, slash), &error);
      if (!type) {
        printError(error);
        return 1;
      }
      targets.emplace_back(type, arg.substr(slash + 1));
    }
  } else {
    const ResourceType* type = context.resolver->byName(args[0], &error);
    if (!type) {
      printError(error);
      return 1;
    }
    if (args.size() == 1) targets.emplace_back(type, "");
    for (size_t i = 1; i < args.size(); ++i) targets.emplace_back(type, args[i]);
  }
  std::string ns = flags.on("all-namespaces") ? "" : context.namespace_;
  std::vector<std::string> errors;
  std::vector<std::pair<const ResourceType*, json>> objects;
  for (const auto& [type, name] : targets) {
    if (name.empty()) {
      std::string query = flags.get("selector").empty() ? "" : "?labelSelector=" + queryEscape(flags.get("selector"));
      ApiResponse r = context.client.get(type->path(ns) + query);
      if (!r.ok()) {
        errors.push_back(apiErrorMessage(r));
        continue;
      }
      for (const auto& item : r.body.value("items", json::array())) objects.emplace_back(type, item);
      continue;
    }
    ApiResponse r = context.client.get(type->path(ns, name));
    if (r.ok()) objects.emplace_back(type, r.body);
    else errors.push_back(apiErrorMessage(r));
  }
  bool first = true;
  for (const auto& [type, object] : objects) {
    std::string text = describe(*type, object, context);
    std::printf("%s%s", first ? "" : "\n\n", text.c_str());
    first = false;
  }
  std::fflush(stdout);
  if (objects.empty() && errors.empty()) {
    if (targets.size() == 1 && targets[0].second.empty() && targets[0].first->namespaced && !flags.on("all-namespaces")) {
      std::fprintf(stderr, "No resources found in %s namespace.\n", ns.c_str());
    } else {
      std::fprintf(stderr, "No resources found\n");
    }
  }
  for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.c_str());
  return errors.empty() ? 0 : 1;
}

}  // namespace minik
