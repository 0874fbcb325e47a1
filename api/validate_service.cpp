// Service validation (core validation's ValidateService, validateServicePort,
// ValidateServiceClusterIPsRelatedFields and, on update,
// validateUpgradeDowngradeClusterIPs).
#include <algorithm>
#include <set>

#include "api/json_fields.h"
#include "api/kind_rules.h"
#include "api/labels.h"
#include "api/names.h"
#include "api/validation_messages.h"

namespace minik {

namespace {

const json kEmptyObject = json::object();
const char* kInvalidIpMessage = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

std::vector<std::string> stringList(const json* v) {
  std::vector<std::string> out;
  if (v == nullptr || !v->is_array()) return out;
  for (const auto& item : *v) out.push_back(item.is_string() ? item.get<std::string>() : item.dump());
  return out;
}

bool isHeadless(const json& spec) {
  auto ips = stringList(member(spec, "clusterIPs"));
  return ips.size() == 1 && ips[0] == "None";
}

// Go's %#v of the (protocol, port) key of a duplicated service port.
std::string servicePortKey(const std::string& protocol, long long port) {
  return "core.ServicePort{Name:\"\", Protocol:" + quoteGo(protocol) +
         ", AppProtocol:(*string)(nil), Port:" + std::to_string(port) +
         ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}";
}

void validatePort(const json& port, bool requireName, std::set<std::string>& names, const std::string& path,
                  FieldErrors& errors) {
  if (!port.is_object()) {
    errors.push_back(typeInvalidError(path, BadValue::of(port), "must be a service port object"));
    return;
  }
  std::string name = stringMember(port, "name");
  if (requireName && name.empty()) {
    errors.push_back(requiredError(path + ".name"));
  } else if (!name.empty()) {
    appendInvalid(path + ".name", name, checkDns1123Label(name), errors);
    if (!names.insert(name).second) errors.push_back(duplicateError(path + ".name", BadValue::quoted(name)));
  }
  auto number = integerMember(port, "port", path + ".port", errors);
  long long value = number.value_or(0);
  if ((number || !member(port, "port")) && (value < 1 || value > 65535)) {
    errors.push_back(invalidError(path + ".port", BadValue::number(value), inclusiveRangeMessage(1, 65535)));
  }
  std::string protocol = stringMember(port, "protocol");
  if (protocol.empty()) {
    errors.push_back(requiredError(path + ".protocol"));
  } else if (std::find(kSupportedPortProtocols.begin(), kSupportedPortProtocols.end(), protocol) ==
             kSupportedPortProtocols.end()) {
    errors.push_back(notSupportedError(path + ".protocol", BadValue::quoted(protocol), kSupportedPortProtocols));
  }
  if (const json* target = member(port, "targetPort")) {
    if (target->is_string()) {
      appendInvalid(path + ".targetPort", target->get<std::string>(), checkPortName(target->get<std::string>()), errors);
    } else if (target->is_number_integer() || target->is_number_unsigned()) {
      long long t = target->get<long long>();
      if (t < 1 || t > 65535) {
        errors.push_back(invalidError(path + ".targetPort", BadValue::number(t), inclusiveRangeMessage(1, 65535)));
      }
    } else {
      errors.push_back(typeInvalidError(path + ".targetPort", BadValue::of(*target), "must be an integer or a string"));
    }
  }
  if (const json* appProtocol = member(port, "appProtocol"); appProtocol && appProtocol->is_string()) {
    appendInvalid(path + ".appProtocol", appProtocol->get<std::string>(),
                  checkQualifiedName(appProtocol->get<std::string>()), errors);
  }
}

void validateClusterIPs(const json& spec, FieldErrors& errors) {
  std::string clusterIP = stringMember(spec, "clusterIP");
  const json* ipsJson = member(spec, "clusterIPs");
  std::vector<std::string> ips = stringList(ipsJson);
  if (!clusterIP.empty()) {
    if (ips.empty()) errors.push_back(requiredError("spec.clusterIPs"));
    else if (ips[0] != clusterIP) {
      errors.push_back(invalidError("spec.clusterIPs", BadValue::stringList(ipsJson), "first value must match `clusterIP`"));
    }
  } else if (!ips.empty()) {
    errors.push_back(invalidError("spec.clusterIPs", BadValue::stringList(ipsJson),
                                  "must be empty when `clusterIP` is not specified"));
  }
  std::set<std::string> seen;
  auto families = stringList(member(spec, "ipFamilies"));
  for (size_t i = 0; i < families.size(); ++i) {
    std::string at = indexed("spec.ipFamilies", i);
    if (families[i] != "IPv4" && families[i] != "IPv6") {
      errors.push_back(notSupportedError(at, BadValue::quoted(families[i]), {"IPv4", "IPv6"}));
    }
    if (!seen.insert(families[i]).second) errors.push_back(duplicateError(at, BadValue::quoted(families[i])));
  }
  if (const json* policy = member(spec, "ipFamilyPolicy")) {
    std::string p = policy->is_string() ? policy->get<std::string>() : policy->dump();
    if (p != "SingleStack" && p != "PreferDualStack" && p != "RequireDualStack") {
      errors.push_back(notSupportedError("spec.ipFamilyPolicy", BadValue::quoted(p),
                                         {"PreferDualStack", "RequireDualStack", "SingleStack"}));
    }
  }
  for (size_t i = 0; i < ips.size(); ++i) {
    if (i == 0 && ips[i] == "None") {
      if (ips.size() > 1) {
        errors.push_back(invalidError("spec.clusterIPs", BadValue::stringList(ipsJson),
                                      "'None' must be the first and only value"));
      }
      continue;
    }
    if (!isIpAddress(ips[i])) {
      errors.push_back(invalidError(indexed("spec.clusterIPs", i), BadValue::quoted(ips[i]), kInvalidIpMessage));
    }
  }
}

// The primary clusterIP is fixed once allocated (dual-stack upgrades aside).
void validateClusterIPsUpdate(const json& spec, const json& oldSpec, FieldErrors& errors) {
  if (stringMember(spec, "type") == "ExternalName" || stringMember(oldSpec, "type") == "ExternalName") return;
  if (isHeadless(spec) && isHeadless(oldSpec)) return;
  const json* nowJson = member(spec, "clusterIPs");
  auto now = stringList(nowJson);
  auto was = stringList(member(oldSpec, "clusterIPs"));
  BadValue shown = BadValue::stringList(nowJson);
  if (now.size() == was.size()) {
    for (size_t i = 0; i < was.size(); ++i) {
      if (was[i] != now[i]) errors.push_back(invalidError(indexed("spec.clusterIPs", i), shown, "may not change once set"));
    }
  } else if (was.size() > now.size()) {
    if (now.empty()) errors.push_back(invalidError("spec.clusterIPs[0]", shown, "primary clusterIP can not be unset"));
    if (!was.empty() && !now.empty() && now[0] != was[0]) {
      errors.push_back(invalidError("spec.clusterIPs[0]", shown, "may not change once set"));
    }
    if (now.size() == 1 && stringMember(spec, "ipFamilyPolicy") != "SingleStack") {
      errors.push_back(invalidError("spec.clusterIPs[0]", shown,
                                    "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (!was.empty() && now[0] != was[0]) {
    errors.push_back(invalidError("spec.clusterIPs[0]", shown, "may not change once set"));
  }
}

}  // namespace

void validateService(const json& service, const json* old, FieldErrors& errors) {
  const json* specPtr = member(service, "spec");
  const json& spec = specPtr && specPtr->is_object() ? *specPtr : kEmptyObject;
  if (old) {
    const json* oldSpec = member(*old, "spec");
    validateClusterIPsUpdate(spec, oldSpec && oldSpec->is_object() ? *oldSpec : kEmptyObject, errors);
  }
  const std::string type = stringMember(spec, "type");
  const json* portsJson = member(spec, "ports");
  const bool hasPortList = portsJson && portsJson->is_array();
  const size_t portCount = hasPortList ? portsJson->size() : 0;
  const bool headless = isHeadless(spec);
  if (portCount == 0 && !headless && type != "ExternalName") errors.push_back(requiredError("spec.ports"));

  if (type == "LoadBalancer" || type == "NodePort") {
    if (headless) {
      errors.push_back(invalidError("spec.clusterIPs[0]", BadValue::quoted("None"),
                                    "may not be set to 'None' for " + type + " services"));
    }
    if (type == "LoadBalancer") {
      for (size_t i = 0; i < portCount; ++i) {
        const json* port = member((*portsJson)[i], "port");
        if (port && port->is_number_integer() && port->get<long long>() == 10250) {
          errors.push_back(invalidError(indexed("spec.ports", i), BadValue::number(10250),
                                        "may not expose port 10250 externally since it is used by kubelet"));
        }
      }
    }
  } else if (type == "ExternalName") {
    if (!isUnset(spec, "clusterIPs")) errors.push_back(forbiddenError("spec.clusterIPs", "may not be set for ExternalName services"));
    if (!isUnset(spec, "ipFamilies")) errors.push_back(forbiddenError("spec.ipFamilies", "may not be set for ExternalName services"));
    if (member(spec, "ipFamilyPolicy")) {
      errors.push_back(forbiddenError("spec.ipFamilyPolicy", "may not be set for ExternalName services"));
    }
    std::string cname = stringMember(spec, "externalName");
    if (!cname.empty() && cname.back() == '.') cname.pop_back();  // a trailing dot marks it fully qualified
    if (cname.empty()) errors.push_back(requiredError("spec.externalName"));
    else appendInvalid("spec.externalName", cname, checkDns1123Subdomain(cname), errors);
  }

  std::set<std::string> names;
  for (size_t i = 0; i < portCount; ++i) {
    validatePort((*portsJson)[i], portCount > 1, names, indexed("spec.ports", i), errors);
  }
  if (const json* selector = member(spec, "selector")) validateLabels(*selector, "spec.selector", errors);

  std::string affinity = stringMember(spec, "sessionAffinity");
  if (affinity.empty()) {
    errors.push_back(requiredError("spec.sessionAffinity"));
  } else if (affinity != "ClientIP" && affinity != "None") {
    errors.push_back(notSupportedError("spec.sessionAffinity", BadValue::quoted(affinity), {"ClientIP", "None"}));
  } else if (affinity == "None" && member(spec, "sessionAffinityConfig")) {
    errors.push_back(forbiddenError("spec.sessionAffinityConfig", "must not be set when session affinity is None"));
  }

  if (type != "ExternalName") validateClusterIPs(spec, errors);

  const json* externalIPs = member(spec, "externalIPs");
  if (externalIPs && externalIPs->is_array()) {
    for (size_t i = 0; i < externalIPs->size(); ++i) {
      std::string ip = (*externalIPs)[i].is_string() ? (*externalIPs)[i].get<std::string>() : "";
      if (!isIpAddress(ip)) {
        errors.push_back(invalidError(indexed("spec.externalIPs", i), BadValue::quoted(ip), kInvalidIpMessage));
      }
    }
  }

  if (type.empty()) {
    errors.push_back(requiredError("spec.type"));
  } else if (type != "ClusterIP" && type != "ExternalName" && type != "LoadBalancer" && type != "NodePort") {
    errors.push_back(notSupportedError("spec.type", BadValue::quoted(type),
                                       {"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"}));
  }
  if (type == "ClusterIP") {
    for (size_t i = 0; i < portCount; ++i) {
      const json* nodePort = member((*portsJson)[i], "nodePort");
      if (nodePort && !(nodePort->is_number() && nodePort->get<long long>() == 0)) {
        errors.push_back(forbiddenError(indexed("spec.ports", i) + ".nodePort", "may not be used when `type` is 'ClusterIP'"));
      }
    }
  }

  std::set<std::pair<std::string, long long>> seenPorts;
  for (size_t i = 0; i < portCount; ++i) {
    const json& port = (*portsJson)[i];
    const json* number = member(port, "port");
    long long value = number && number->is_number() ? number->get<long long>() : 0;
    std::string protocol = stringMember(port, "protocol");
    if (!seenPorts.insert({protocol, value}).second) {
      errors.push_back(duplicateError(indexed("spec.ports", i), BadValue::verbatim(servicePortKey(protocol, value))));
    }
  }
}

}  // namespace minik
