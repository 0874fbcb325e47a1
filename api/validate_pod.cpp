// Pod spec, pod template and Pod validation (core validation's ValidatePodSpec,
// validateContainers, validateContainerPorts, ValidatePodTemplateSpec,
// ValidatePodCreate and the immutability of a Pod's spec on update).
#include <algorithm>
#include <cctype>
#include <set>

#include "api/json_fields.h"
#include "api/kind_rules.h"
#include "api/labels.h"
#include "api/names.h"
#include "api/validation_messages.h"

namespace minik {

namespace {

const json kEmptyObject = json::object();

const json& objectOrEmpty(const json* v) { return v && v->is_object() ? *v : kEmptyObject; }

// A closed set of values: "" is Required, anything else outside is NotSupported.
void validateEnum(const json& object, const char* key, const std::string& path,
                  const std::vector<std::string>& supported, FieldErrors& errors) {
  const json* v = member(object, key);
  std::string value = v && v->is_string() ? v->get<std::string>() : "";
  if (v && !v->is_string()) {
    errors.push_back(typeInvalidError(path, BadValue::of(*v), "must be a string"));
    return;
  }
  if (value.empty()) {
    errors.push_back(requiredError(path));
  } else if (std::find(supported.begin(), supported.end(), value) == supported.end()) {
    errors.push_back(notSupportedError(path, BadValue::quoted(value), supported));
  }
}

void validatePortNumber(long long port, const std::string& path, FieldErrors& errors) {
  if (port < 1 || port > 65535) {
    errors.push_back(invalidError(path, BadValue::number(port), inclusiveRangeMessage(1, 65535)));
  }
}

void validateContainerPorts(const json& container, const std::string& path, FieldErrors& errors) {
  const json* ports = member(container, "ports");
  if (ports == nullptr || !ports->is_array()) return;
  std::set<std::string> names;
  for (size_t i = 0; i < ports->size(); ++i) {
    const json& port = (*ports)[i];
    std::string at = indexed(path, i);
    std::string name = stringMember(port, "name");
    if (!name.empty()) {
      auto msgs = checkPortName(name);
      if (!msgs.empty()) appendInvalid(at + ".name", name, msgs, errors);
      else if (!names.insert(name).second) errors.push_back(duplicateError(at + ".name", BadValue::quoted(name)));
    }
    auto containerPort = integerMember(port, "containerPort", at + ".containerPort", errors);
    if (!containerPort || *containerPort == 0) {
      if (!member(port, "containerPort") || containerPort) errors.push_back(requiredError(at + ".containerPort"));
    } else {
      validatePortNumber(*containerPort, at + ".containerPort", errors);
    }
    auto hostPort = integerMember(port, "hostPort", at + ".hostPort", errors);
    if (hostPort && *hostPort != 0) validatePortNumber(*hostPort, at + ".hostPort", errors);
    validateEnum(port, "protocol", at + ".protocol", kSupportedPortProtocols, errors);
  }
}

void validateEnv(const json& container, const std::string& path, FieldErrors& errors) {
  const json* env = member(container, "env");
  if (env == nullptr || !env->is_array()) return;
  for (size_t i = 0; i < env->size(); ++i) {
    std::string at = indexed(path, i) + ".name";
    std::string name = stringMember((*env)[i], "name");
    if (name.empty()) {
      errors.push_back(requiredError(at));
      continue;
    }
    for (unsigned char c : name) {
      if (c < 0x20 || c > 0x7E || c == '=') {
        errors.push_back(invalidError(at, BadValue::quoted(name),
                                      "a valid environment variable name must consist only of printable ASCII "
                                      "characters other than '='"));
        break;
      }
    }
  }
}

void validateVolumeMounts(const json& container, const std::set<std::string>& volumes, const std::string& path,
                          FieldErrors& errors) {
  const json* mounts = member(container, "volumeMounts");
  if (mounts == nullptr || !mounts->is_array()) return;
  std::set<std::string> paths;
  for (size_t i = 0; i < mounts->size(); ++i) {
    const json& m = (*mounts)[i];
    std::string at = indexed(path, i);
    std::string name = stringMember(m, "name");
    if (name.empty()) errors.push_back(requiredError(at + ".name"));
    else if (!volumes.count(name)) errors.push_back(notFoundError(at + ".name", BadValue::quoted(name)));
    std::string mountPath = stringMember(m, "mountPath");
    if (mountPath.empty()) errors.push_back(requiredError(at + ".mountPath"));
    else if (!paths.insert(mountPath).second) {
      errors.push_back(invalidError(at + ".mountPath", BadValue::quoted(mountPath), "must be unique"));
    }
  }
}

void validateContainer(const json& c, const std::set<std::string>& volumes, const std::string& path,
                       FieldErrors& errors) {
  if (!c.is_object()) {
    errors.push_back(typeInvalidError(path, BadValue::of(c), "must be a container object"));
    return;
  }
  std::string name = stringMember(c, "name");
  if (name.empty()) errors.push_back(requiredError(path + ".name"));
  else appendInvalid(path + ".name", name, checkDns1123Label(name), errors);
  if (stringMember(c, "image").empty()) errors.push_back(requiredError(path + ".image"));
  validateEnum(c, "terminationMessagePolicy", path + ".terminationMessagePolicy", {"File", "FallbackToLogsOnError"},
               errors);
  validateContainerPorts(c, path + ".ports", errors);
  validateEnv(c, path + ".env", errors);
  validateVolumeMounts(c, volumes, path + ".volumeMounts", errors);
  validateEnum(c, "imagePullPolicy", path + ".imagePullPolicy", {"Always", "IfNotPresent", "Never"}, errors);
}

// Names must be unique among all containers; init containers report collisions.
void validateContainerList(const json& spec, const char* key, const std::set<std::string>& volumes,
                           const std::string& path, std::set<std::string>& allNames, FieldErrors& errors) {
  const json* list = member(spec, key);
  bool required = std::string(key) == "containers";
  if (list == nullptr || (list->is_array() && list->empty())) {
    if (required) errors.push_back(requiredError(path));
    return;
  }
  if (!list->is_array()) {
    errors.push_back(typeInvalidError(path, BadValue::of(*list), "must be a list of containers"));
    return;
  }
  for (size_t i = 0; i < list->size(); ++i) {
    std::string at = indexed(path, i);
    validateContainer((*list)[i], volumes, at, errors);
    std::string name = stringMember((*list)[i], "name");
    if (!allNames.insert(name).second) errors.push_back(duplicateError(at + ".name", BadValue::quoted(name)));
  }
}

std::set<std::string> validateVolumes(const json& spec, const std::string& path, FieldErrors& errors) {
  std::set<std::string> names;
  const json* volumes = member(spec, "volumes");
  if (volumes == nullptr || !volumes->is_array()) return names;
  for (size_t i = 0; i < volumes->size(); ++i) {
    std::string at = indexed(path, i) + ".name";
    std::string name = stringMember((*volumes)[i], "name");
    if (name.empty()) {
      errors.push_back(requiredError(at));
      continue;
    }
    auto msgs = checkDns1123Label(name);
    appendInvalid(at, name, msgs, errors);
    if (msgs.empty() && !names.insert(name).second) errors.push_back(duplicateError(at, BadValue::quoted(name)));
  }
  return names;
}

// The spec with the fields a Pod update may change blanked out.
json mutableFieldsCleared(const json& spec) {
  json out = spec.is_object() ? spec : json::object();
  for (const char* list : {"containers", "initContainers"}) {
    if (!out.contains(list) || !out[list].is_array()) continue;
    for (auto& c : out[list]) {
      if (c.is_object()) c.erase("image");
    }
  }
  for (const char* key : {"activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds",
                          "schedulingGates"}) {
    out.erase(key);
  }
  return out;
}

}  // namespace

void validatePodSpec(const json& spec, const std::string& path, FieldErrors& errors) {
  if (!spec.is_object()) {
    errors.push_back(typeInvalidError(path, BadValue::of(spec), "must be a pod spec object"));
    return;
  }
  std::set<std::string> volumes = validateVolumes(spec, path + ".volumes", errors);
  std::set<std::string> containerNames;
  validateContainerList(spec, "containers", volumes, path + ".containers", containerNames, errors);
  validateContainerList(spec, "initContainers", volumes, path + ".initContainers", containerNames, errors);
  validateEnum(spec, "restartPolicy", path + ".restartPolicy", {"Always", "OnFailure", "Never"}, errors);
  validateEnum(spec, "dnsPolicy", path + ".dnsPolicy", {"ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"},
               errors);
  if (const json* selector = member(spec, "nodeSelector")) validateLabels(*selector, path + ".nodeSelector", errors);
  if (std::string sa = stringMember(spec, "serviceAccountName"); !sa.empty()) {
    appendInvalid(path + ".serviceAccountName", sa, checkDns1123Subdomain(sa), errors);
  }
  if (std::string node = stringMember(spec, "nodeName"); !node.empty()) {
    appendInvalid(path + ".nodeName", node, checkDns1123Subdomain(node), errors);
  }
  if (auto deadline = integerMember(spec, "activeDeadlineSeconds", path + ".activeDeadlineSeconds", errors)) {
    if (*deadline < 1 || *deadline > 2147483647) {
      errors.push_back(invalidError(path + ".activeDeadlineSeconds", BadValue::number(*deadline),
                                    inclusiveRangeMessage(1, 2147483647)));
    }
  }
  for (const char* key : {"hostname", "subdomain"}) {
    if (std::string v = stringMember(spec, key); !v.empty()) {
      appendInvalid(path + "." + key, v, checkDns1123Label(v), errors);
    }
  }
}

void validatePodTemplate(const json& tmpl, const std::string& path, FieldErrors& errors) {
  if (!tmpl.is_object()) {
    errors.push_back(requiredError(path));
    return;
  }
  const json& meta = objectOrEmpty(member(tmpl, "metadata"));
  // Kubernetes reports template labels at "<path>.labels", without ".metadata".
  if (const json* labels = member(meta, "labels")) validateLabels(*labels, path + ".labels", errors);
  if (const json* annotations = member(meta, "annotations")) {
    validateAnnotations(*annotations, path + ".annotations", errors);
  }
  validatePodSpec(objectOrEmpty(member(tmpl, "spec")), path + ".spec", errors);
}

void validatePod(const json& pod, const json* old, FieldErrors& errors) {
  const json& spec = objectOrEmpty(member(pod, "spec"));
  validatePodSpec(spec, "spec", errors);
  for (const char* list : {"containers", "initContainers"}) {
    const json* containers = member(spec, list);
    if (containers == nullptr || !containers->is_array()) continue;
    for (size_t i = 0; i < containers->size(); ++i) {
      std::string image = stringMember((*containers)[i], "image");
      if (!image.empty() && (isspace(static_cast<unsigned char>(image.front())) ||
                             isspace(static_cast<unsigned char>(image.back())))) {
        errors.push_back(invalidError(indexed(std::string("spec.") + list, i) + ".image", BadValue::quoted(image),
                                      "must not have leading or trailing whitespace"));
      }
    }
  }
  if (old == nullptr) return;
  const json& oldSpec = objectOrEmpty(member(*old, "spec"));
  const json* now = member(spec, "containers");
  const json* was = member(oldSpec, "containers");
  if (now && was && now->is_array() && was->is_array() && now->size() != was->size()) {
    errors.push_back(forbiddenError("spec.containers", "pod updates may not add or remove containers"));
    return;
  }
  json current = mutableFieldsCleared(spec);
  json previous = mutableFieldsCleared(oldSpec);
  // minik binds pods by update: a first nodeName may be set, never changed.
  if (stringMember(oldSpec, "nodeName").empty()) {
    current.erase("nodeName");
    previous.erase("nodeName");
  }
  if (current != previous) {
    errors.push_back(forbiddenError(
        "spec",
        "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,"
        "`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),"
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"));
  }
}

}  // namespace minik
