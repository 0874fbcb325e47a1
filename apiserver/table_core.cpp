// Tables of the core group other than Pod: Service, Endpoints, Namespace,
// Node, ConfigMap, Secret, ServiceAccount, Event (printers.go's printService,
// printEndpoints, printNamespace, printNode, printConfigMap, printSecret,
// printServiceAccount, printEvent).
#include <algorithm>
#include <cctype>
#include <set>

#include "apiserver/table_kinds.h"

namespace minik {

using nlohmann::json;

namespace {

const char* const kNodeAddressesDescription =
    "List of addresses reachable to the node. Queried from cloud provider, if available. More "
    "info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is "
    "declared as mergeable, but the merge key is not sufficiently unique, which can cause data "
    "corruption when it is merged. Callers should instead use a full-replacement patch. See "
    "https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change "
    "during the lifetime of a Node. However, there are some exceptions where this may not be "
    "possible, such as Pods that inherit a Node's address in its own status or consumers of the "
    "downward API (status.hostIP).";

std::string joinStrings(const json& array) {
  std::string out;
  if (!array.is_array()) return out;
  for (const auto& value : array) {
    if (!value.is_string()) continue;
    if (!out.empty()) out += ",";
    out += value.get<std::string>();
  }
  return out;
}

// --- Service -----------------------------------------------------------------

// loadBalancerStatusStringer in wide mode: ingress IPs or hostnames, sorted
// and deduplicated.
std::string loadBalancerIngress(const json& service) {
  std::set<std::string> addresses;
  const json& ingress = field(service, {"status", "loadBalancer", "ingress"});
  if (ingress.is_array()) {
    for (const auto& entry : ingress) {
      if (!textAt(entry, {"ip"}).empty()) {
        addresses.insert(textAt(entry, {"ip"}));
      } else if (!textAt(entry, {"hostname"}).empty()) {
        addresses.insert(textAt(entry, {"hostname"}));
      }
    }
  }
  std::string out;
  for (const auto& address : addresses) out += (out.empty() ? "" : ",") + address;
  return out;
}

std::string serviceExternalIP(const json& service) {
  std::string type = textAt(service, {"spec", "type"});
  std::string externalIPs = joinStrings(field(service, {"spec", "externalIPs"}));
  if (type == "ClusterIP" || type == "NodePort")
    return externalIPs.empty() ? "<none>" : externalIPs;
  if (type == "LoadBalancer") {
    std::string ingress = loadBalancerIngress(service);
    if (!externalIPs.empty()) return ingress.empty() ? externalIPs : ingress + "," + externalIPs;
    return ingress.empty() ? "<pending>" : ingress;
  }
  if (type == "ExternalName") return textAt(service, {"spec", "externalName"});
  return "<unknown>";
}

// makePortString: "80/TCP", "80:30080/TCP" with a node port.
std::string servicePorts(const json& service) {
  std::string out;
  const json& ports = field(service, {"spec", "ports"});
  if (ports.is_array()) {
    for (const auto& port : ports) {
      if (!out.empty()) out += ",";
      out += std::to_string(integerAt(port, {"port"}));
      int64_t nodePort = integerAt(port, {"nodePort"});
      if (nodePort > 0) out += ":" + std::to_string(nodePort);
      // Defaulting makes protocol TCP; an undefaulted port prints the same.
      std::string protocol = textAt(port, {"protocol"});
      out += "/" + (protocol.empty() ? std::string("TCP") : protocol);
    }
  }
  return out.empty() ? "<none>" : out;
}

json serviceCells(const json& service, std::time_t now) {
  // v1 keeps clusterIP beside clusterIPs; conversion fills clusterIPs from it.
  std::string clusterIP = textAt(service, {"spec", "clusterIP"});
  const json& clusterIPs = field(service, {"spec", "clusterIPs"});
  if (clusterIPs.is_array() && !clusterIPs.empty() && clusterIPs[0].is_string()) {
    clusterIP = clusterIPs[0].get<std::string>();
  }
  return json::array({textAt(service, {"metadata", "name"}), textAt(service, {"spec", "type"}),
                      clusterIP.empty() ? "<none>" : clusterIP, serviceExternalIP(service),
                      servicePorts(service), ageOf(service, now),
                      formatLabels(field(service, {"spec", "selector"}))});
}

// --- Endpoints ---------------------------------------------------------------

// formatEndpoints: "ip:port" for every port of every subset (bare IPs for a
// subset without ports), at most three, then " + N more...".
std::string formatEndpoints(const json& endpoints) {
  const json& subsets = field(endpoints, {"subsets"});
  if (!subsets.is_array() || subsets.empty()) return "<none>";
  const size_t max = 3;
  std::vector<std::string> shown;
  bool more = false;
  size_t count = 0;
  auto take = [&](const json& addresses, const std::string& suffix) {
    if (!addresses.is_array()) return;
    count += addresses.size();
    for (const auto& address : addresses) {
      if (shown.size() == max) {
        more = true;
        return;
      }
      std::string ip = textAt(address, {"ip"});
      // net.JoinHostPort brackets IPv6 addresses.
      if (!suffix.empty() && ip.find(':') != std::string::npos) ip = "[" + ip + "]";
      shown.push_back(ip + suffix);
    }
  };
  for (const auto& subset : subsets) {
    const json& ports = field(subset, {"ports"});
    const json& addresses = field(subset, {"addresses"});
    if (!ports.is_array() || ports.empty()) {
      take(addresses, "");
      continue;
    }
    for (const auto& port : ports) take(addresses, ":" + std::to_string(integerAt(port, {"port"})));
  }
  std::string out;
  for (const auto& item : shown) out += (out.empty() ? "" : ",") + item;
  if (more) out += " + " + std::to_string(count - max) + " more...";
  return out;
}

json endpointsCells(const json& endpoints, std::time_t now) {
  return json::array(
      {textAt(endpoints, {"metadata", "name"}), formatEndpoints(endpoints), ageOf(endpoints, now)});
}

// --- Namespace, ConfigMap, Secret, ServiceAccount ----------------------------

json namespaceCells(const json& ns, std::time_t now) {
  return json::array(
      {textAt(ns, {"metadata", "name"}), textAt(ns, {"status", "phase"}), ageOf(ns, now)});
}

json configMapCells(const json& configMap, std::time_t now) {
  return json::array({textAt(configMap, {"metadata", "name"}),
                      countAt(configMap, {"data"}) + countAt(configMap, {"binaryData"}),
                      ageOf(configMap, now)});
}

json secretCells(const json& secret, std::time_t now) {
  return json::array({textAt(secret, {"metadata", "name"}), textAt(secret, {"type"}),
                      countAt(secret, {"data"}), ageOf(secret, now)});
}

json serviceAccountCells(const json& account, std::time_t now) {
  return json::array(
      {textAt(account, {"metadata", "name"}), countAt(account, {"secrets"}), ageOf(account, now)});
}

// --- Node --------------------------------------------------------------------

std::string nodeStatus(const json& node) {
  std::string status = "Unknown";
  const json& conditions = field(node, {"status", "conditions"});
  if (conditions.is_array()) {
    // Go keeps the last condition of each type.
    for (const auto& condition : conditions) {
      if (textAt(condition, {"type"}) == "Ready") {
        status = textAt(condition, {"status"}) == "True" ? "Ready" : "NotReady";
      }
    }
  }
  if (field(node, {"spec", "unschedulable"}) == true) status += ",SchedulingDisabled";
  return status;
}

// findNodeRoles: node-role.kubernetes.io/<role> keys and kubernetes.io/role
// values, sorted.
std::string nodeRoles(const json& node) {
  static const std::string kRolePrefix = "node-role.kubernetes.io/";
  std::set<std::string> roles;
  const json& labels = field(node, {"metadata", "labels"});
  if (labels.is_object()) {
    for (const auto& [key, value] : labels.items()) {
      if (key.compare(0, kRolePrefix.size(), kRolePrefix) == 0) {
        if (key.size() > kRolePrefix.size()) roles.insert(key.substr(kRolePrefix.size()));
      } else if (key == "kubernetes.io/role" && value.is_string() &&
                 !value.get<std::string>().empty()) {
        roles.insert(value.get<std::string>());
      }
    }
  }
  std::string out;
  for (const auto& role : roles) out += (out.empty() ? "" : ",") + role;
  return out.empty() ? "<none>" : out;
}

std::string nodeAddress(const json& node, const char* type) {
  const json& addresses = field(node, {"status", "addresses"});
  if (addresses.is_array()) {
    for (const auto& address : addresses) {
      if (textAt(address, {"type"}) == type) return textAt(address, {"address"});
    }
  }
  return "<none>";
}

json nodeCells(const json& node, std::time_t now) {
  auto infoOrUnknown = [&](const char* key) {
    std::string value = textAt(node, {"status", "nodeInfo", key});
    return value.empty() ? std::string("<unknown>") : value;
  };
  return json::array({textAt(node, {"metadata", "name"}), nodeStatus(node), nodeRoles(node),
                      ageOf(node, now), textAt(node, {"status", "nodeInfo", "kubeletVersion"}),
                      nodeAddress(node, "InternalIP"), nodeAddress(node, "ExternalIP"),
                      infoOrUnknown("osImage"), infoOrUnknown("kernelVersion"),
                      infoOrUnknown("containerRuntimeVersion")});
}

// --- Event -------------------------------------------------------------------

std::string trimSpace(const std::string& text) {
  const char* space = " \t\n\v\f\r";
  size_t begin = text.find_first_not_of(space);
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(space) - begin + 1);
}

// formatEventSource: component (or reportingComponent), then ", host" (or
// reportingInstance) when there is one.
std::string eventSource(const json& event) {
  std::string component = textAt(event, {"source", "component"});
  if (component.empty()) component = textAt(event, {"reportingComponent"});
  std::string host = textAt(event, {"source", "host"});
  if (host.empty()) host = textAt(event, {"reportingInstance"});
  return host.empty() ? component : component + ", " + host;
}

json eventCells(const json& event, std::time_t now) {
  std::string firstSeen = textAt(event, {"firstTimestamp"}).empty()
                              ? timestampSince(textAt(event, {"eventTime"}), now)
                              : timestampSince(textAt(event, {"firstTimestamp"}), now);
  std::string lastSeen = textAt(event, {"lastTimestamp"}).empty()
                             ? firstSeen
                             : timestampSince(textAt(event, {"lastTimestamp"}), now);
  int64_t count = integerAt(event, {"count"});
  if (field(event, {"series"}).is_object()) {
    lastSeen = timestampSince(textAt(event, {"series", "lastObservedTime"}), now);
    count = integerAt(event, {"series", "count"});
  } else if (count == 0) {
    count = 1;  // singleton events of the events.k8s.io API carry no count
  }
  std::string kind = textAt(event, {"involvedObject", "kind"});
  std::transform(kind.begin(), kind.end(), kind.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string name = textAt(event, {"involvedObject", "name"});
  std::string target = name.empty() ? kind : kind + "/" + name;
  return json::array({lastSeen, textAt(event, {"type"}), textAt(event, {"reason"}), target,
                      textAt(event, {"involvedObject", "fieldPath"}), eventSource(event),
                      trimSpace(textAt(event, {"message"})), firstSeen, count,
                      textAt(event, {"metadata", "name"})});
}

}  // namespace

std::vector<KindTable> coreTables() {
  return {
      {"",
       "Service",
       {
           {"Name", "string", "name", kNameDescription, 0},
           {"Type", "string", "",
            "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are "
            "ExternalName, ClusterIP, NodePort, and LoadBalancer. \"ClusterIP\" allocates a "
            "cluster-internal IP address for load-balancing to endpoints. Endpoints are determined "
            "by the selector or if that is not specified, by manual construction of an Endpoints "
            "object or EndpointSlice objects. If clusterIP is \"None\", no virtual IP is allocated "
            "and the endpoints are published as a set of endpoints rather than a virtual IP. "
            "\"NodePort\" builds on ClusterIP and allocates a port on every node which routes to "
            "the same endpoints as the clusterIP. \"LoadBalancer\" builds on NodePort and creates "
            "an external load-balancer (if supported in the current cloud) which routes to the "
            "same endpoints as the clusterIP. \"ExternalName\" aliases this service to the "
            "specified externalName. Several other fields do not apply to ExternalName services. "
            "More info: https://kubernetes.io/docs/concepts/services-networking/service/"
            "#publishing-services-service-types",
            0},
           {"Cluster-IP", "string", "",
            "clusterIP is the IP address of the service and is usually assigned randomly. If an "
            "address is specified manually, is in-range (as per system configuration), and is not "
            "in use, it will be allocated to the service; otherwise creation of the service will "
            "fail. This field may not be changed through updates unless the type field is also "
            "being changed to ExternalName (which requires this field to be blank) or the type "
            "field is being changed from ExternalName (in which case this field may optionally be "
            "specified, as describe above).  Valid values are \"None\", empty string (\"\"), or a "
            "valid IP address. Setting this to \"None\" makes a \"headless service\" (no virtual "
            "IP), which is useful when direct endpoint connections are preferred and proxying is "
            "not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this "
            "field is specified when creating a Service of type ExternalName, creation will fail. "
            "This field will be wiped when updating a Service to type ExternalName. More info: "
            "https://kubernetes.io/docs/concepts/services-networking/service/"
            "#virtual-ips-and-service-proxies",
            0},
           {"External-IP", "string", "",
            "externalIPs is a list of IP addresses for which nodes in the cluster will also accept "
            "traffic for this service.  These IPs are not managed by Kubernetes.  The user is "
            "responsible for ensuring that traffic arrives at a node with this IP.  A common "
            "example is external load-balancers that are not part of the Kubernetes system.",
            0},
           {"Port(s)", "string", "",
            "The list of ports that are exposed by this service. More info: "
            "https://kubernetes.io/docs/concepts/services-networking/service/"
            "#virtual-ips-and-service-proxies",
            0},
           {"Age", "string", "", kCreationTimestampDescription, 0},
           {"Selector", "string", "",
            "Route service traffic to pods with label keys and values matching this selector. If "
            "empty or not present, the service is assumed to have an external process managing "
            "its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, "
            "NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: "
            "https://kubernetes.io/docs/concepts/services-networking/service/",
            1},
       },
       serviceCells},
      {"",
       "Endpoints",
       {
           {"Name", "string", "name", kNameDescription, 0},
           {"Endpoints", "string", "",
            "The set of all endpoints is the union of all subsets. Addresses are placed into "
            "subsets according to the IPs they share. A single address with multiple ports, some "
            "of which are ready and some of which are not (because they come from different "
            "containers) will result in the address being displayed in different subsets for the "
            "different ports. No address will appear in both Addresses and NotReadyAddresses in "
            "the same subset. Sets of addresses and ports that comprise a service.",
            0},
           {"Age", "string", "", kCreationTimestampDescription, 0},
       },
       endpointsCells},
      {"",
       "Namespace",
       {
           {"Name", "string", "name", kNameDescription, 0},
           {"Status", "string", "", "The status of the namespace", 0},
           {"Age", "string", "", kCreationTimestampDescription, 0},
       },
       namespaceCells},
      {"",
       "Node",
       {
           {"Name", "string", "name", kNameDescription, 0},
           {"Status", "string", "", "The status of the node", 0},
           {"Roles", "string", "", "The roles of the node", 0},
           {"Age", "string", "", kCreationTimestampDescription, 0},
           {"Version", "string", "", "Kubelet Version reported by the node.", 0},
           {"Internal-IP", "string", "", kNodeAddressesDescription, 1},
           {"External-IP", "string", "", kNodeAddressesDescription, 1},
           {"OS-Image", "string", "",
            "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 "
            "(wheezy)).",
            1},
           {"Kernel-Version", "string", "",
            "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1},
           {"Container-Runtime", "string", "",
            "ContainerRuntime Version reported by the node through runtime remote API (e.g. "
            "containerd://1.4.2).",
            1},
       },
       nodeCells},
      {"",
       "ConfigMap",
       {
           {"Name", "string", "name", kNameDescription, 0},
           {"Data", "string", "",
            "Data contains the configuration data. Each key must consist of alphanumeric "
            "characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the "
            "BinaryData field. The keys stored in Data must not overlap with the keys in the "
            "BinaryData field, this is enforced during validation process.",
            0},
           {"Age", "string", "", kCreationTimestampDescription, 0},
       },
       configMapCells},
      {"",
       "Secret",
       {
           {"Name", "string", "name", kNameDescription, 0},
           {"Type", "string", "",
            "Used to facilitate programmatic handling of secret data. More info: "
            "https://kubernetes.io/docs/concepts/configuration/secret/#secret-types",
            0},
           {"Data", "string", "",
            "Data contains the secret data. Each key must consist of alphanumeric characters, "
            "'-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, "
            "representing the arbitrary (possibly non-string) data value here. Described in "
            "https://tools.ietf.org/html/rfc4648#section-4",
            0},
           {"Age", "string", "", kCreationTimestampDescription, 0},
       },
       secretCells},
      {"",
       "ServiceAccount",
       {
           {"Name", "string", "name", kNameDescription, 0},
           {"Secrets", "string", "",
            "Secrets is a list of the secrets in the same namespace that pods running using this "
            "ServiceAccount are allowed to use. Pods are only limited to this list if this "
            "service account has a \"kubernetes.io/enforce-mountable-secrets\" annotation set to "
            "\"true\". The \"kubernetes.io/enforce-mountable-secrets\" annotation is deprecated "
            "since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This "
            "field should not be used to find auto-generated service account token secrets for "
            "use outside of pods. Instead, tokens can be requested directly using the "
            "TokenRequest API, or service account token secrets can be manually created. More "
            "info: https://kubernetes.io/docs/concepts/configuration/secret",
            0},
           {"Age", "string", "", kCreationTimestampDescription, 0},
       },
       serviceAccountCells},
      {"",
       "Event",
       {
           {"Last Seen", "string", "",
            "The time at which the most recent occurrence of this event was recorded.", 0},
           {"Type", "string", "",
            "Type of this event (Normal, Warning), new types could be added in the future", 0},
           {"Reason", "string", "",
            "This should be a short, machine understandable string that gives the reason for the "
            "transition into the object's current status.",
            0},
           {"Object", "string", "", "The object that this event is about.", 0},
           {"Subobject", "string", "",
            "If referring to a piece of an object instead of an entire object, this string should "
            "contain a valid JSON/Go field access statement, such as "
            "desiredState.manifest.containers[2]. For example, if the object reference is to a "
            "container within a pod, this would take on a value like: \"spec.containers{name}\" "
            "(where \"name\" refers to the name of the container that triggered the event) or if "
            "no container name is specified \"spec.containers[2]\" (container with index 2 in "
            "this pod). This syntax is chosen only to have some well-defined way of referencing a "
            "part of an object.",
            1},
           {"Source", "string", "",
            "The component reporting this event. Should be a short machine understandable string.",
            1},
           {"Message", "string", "",
            "A human-readable description of the status of this operation.", 0},
           {"First Seen", "string", "",
            "The time at which the event was first recorded. (Time of server receipt is in "
            "TypeMeta.)",
            1},
           {"Count", "string", "", "The number of times this event has occurred.", 1},
           {"Name", "string", "name", kNameDescription, 1},
       },
       eventCells},
  };
}

}  // namespace minik
