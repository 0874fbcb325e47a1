// EndpointSlice and Endpoints validation (discovery validation's
// ValidateEndpointSlice: address type, addresses per type, ports; core's
// ValidateEndpoints for ports and addresses).
#include <algorithm>
#include <set>

#include "api/json_fields.h"
#include "api/kind_rules.h"
#include "api/labels.h"
#include "api/names.h"
#include "api/validation_messages.h"

namespace minik {

namespace {

void validateProtocol(const json& port, const std::string& path, FieldErrors& errors) {
  std::string protocol = stringMember(port, "protocol");
  if (protocol.empty()) {
    errors.push_back(requiredError(path));
  } else if (std::find(kSupportedPortProtocols.begin(), kSupportedPortProtocols.end(), protocol) ==
             kSupportedPortProtocols.end()) {
    errors.push_back(notSupportedError(path, BadValue::quoted(protocol), kSupportedPortProtocols));
  }
}

void validatePortRange(const json& port, const std::string& path, FieldErrors& errors) {
  if (auto number = integerMember(port, "port", path, errors); number && (*number < 1 || *number > 65535)) {
    errors.push_back(invalidError(path, BadValue::number(*number), inclusiveRangeMessage(1, 65535)));
  }
}

void validateSliceEndpoints(const json& slice, const std::string& addressType, FieldErrors& errors) {
  const json* endpoints = member(slice, "endpoints");
  if (endpoints == nullptr || !endpoints->is_array()) return;
  for (size_t i = 0; i < endpoints->size(); ++i) {
    const json& endpoint = (*endpoints)[i];
    std::string at = indexed("endpoints", i);
    const json* addresses = member(endpoint, "addresses");
    if (addresses == nullptr || !addresses->is_array() || addresses->empty()) {
      errors.push_back(requiredError(at + ".addresses", "must contain at least 1 address"));
    } else if (addresses->size() > 100) {
      errors.push_back(FieldError{"FieldValueTooMany", at + ".addresses",
                                  "Too many: " + std::to_string(addresses->size()) + ": must have at most 100 items"});
    }
    if (addresses && addresses->is_array()) {
      for (size_t a = 0; a < addresses->size(); ++a) {
        std::string address = (*addresses)[a].is_string() ? (*addresses)[a].get<std::string>() : "";
        std::string apath = indexed(at + ".addresses", a);
        if (addressType == "IPv4" && !isIpv4Address(address)) {
          errors.push_back(invalidError(apath, BadValue::quoted(address), "must be a valid IPv4 address"));
        } else if (addressType == "IPv6" && !isIpv6Address(address)) {
          errors.push_back(invalidError(apath, BadValue::quoted(address), "must be a valid IPv6 address"));
        } else if (addressType == "FQDN") {
          std::string name = !address.empty() && address.back() == '.' ? address.substr(0, address.size() - 1) : address;
          if (name.empty()) errors.push_back(requiredError(apath));
          else appendInvalid(apath, name, checkDns1123Subdomain(name), errors);
        }
      }
    }
    if (std::string node = stringMember(endpoint, "nodeName"); !node.empty()) {
      appendInvalid(at + ".nodeName", node, checkDns1123Subdomain(node), errors);
    }
  }
}

}  // namespace

void validateEndpointSlice(const json& slice, const json* old, FieldErrors& errors) {
  std::string addressType = stringMember(slice, "addressType");
  if (addressType.empty()) {
    errors.push_back(requiredError("addressType"));
  } else if (addressType != "FQDN" && addressType != "IPv4" && addressType != "IPv6") {
    errors.push_back(notSupportedError("addressType", BadValue::quoted(addressType), {"FQDN", "IPv4", "IPv6"}));
  }
  validateSliceEndpoints(slice, addressType, errors);
  const json* ports = member(slice, "ports");
  if (ports && ports->is_array()) {
    std::set<std::string> names;
    for (size_t i = 0; i < ports->size(); ++i) {
      const json& port = (*ports)[i];
      std::string at = indexed("ports", i);
      std::string name = stringMember(port, "name");
      if (!name.empty()) appendInvalid(at + ".name", name, checkDns1123Label(name), errors);
      if (!names.insert(name).second) errors.push_back(duplicateError(at + ".name", BadValue::quoted(name)));
      validateProtocol(port, at + ".protocol", errors);
      validatePortRange(port, at + ".port", errors);
      if (const json* app = member(port, "appProtocol"); app && app->is_string()) {
        appendInvalid(at + ".appProtocol", app->get<std::string>(), checkQualifiedName(app->get<std::string>()), errors);
      }
    }
  }
  if (old) {
    std::string was = stringMember(*old, "addressType");
    if (was != addressType) errors.push_back(invalidError("addressType", BadValue::quoted(addressType), kImmutableMessage));
  }
}

void validateEndpoints(const json& endpoints, FieldErrors& errors) {
  const json* subsets = member(endpoints, "subsets");
  if (subsets == nullptr || !subsets->is_array()) return;
  for (size_t s = 0; s < subsets->size(); ++s) {
    const json& subset = (*subsets)[s];
    std::string at = indexed("subsets", s);
    for (const char* list : {"addresses", "notReadyAddresses"}) {
      const json* addresses = member(subset, list);
      if (addresses == nullptr || !addresses->is_array()) continue;
      for (size_t a = 0; a < addresses->size(); ++a) {
        std::string ip = stringMember((*addresses)[a], "ip");
        if (!isIpAddress(ip)) {
          errors.push_back(invalidError(indexed(at + "." + list, a) + ".ip", BadValue::quoted(ip),
                                        "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
        }
      }
    }
    const json* ports = member(subset, "ports");
    if (ports == nullptr || !ports->is_array()) continue;
    for (size_t p = 0; p < ports->size(); ++p) {
      const json& port = (*ports)[p];
      std::string pat = indexed(at + ".ports", p);
      std::string name = stringMember(port, "name");
      if (ports->size() > 1 && name.empty()) errors.push_back(requiredError(pat + ".name"));
      else if (!name.empty()) appendInvalid(pat + ".name", name, checkDns1123Label(name), errors);
      validatePortRange(port, pat + ".port", errors);
      validateProtocol(port, pat + ".protocol", errors);
    }
  }
}

}  // namespace minik
