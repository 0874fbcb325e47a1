#include "runtime-shim/container_env.h"

#include <cmath>
#include <cstdlib>

namespace minik {

using json = nlohmann::json;

namespace {

std::string str(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

void setVar(EnvVars* vars, const std::string& name, const std::string& value) {
  for (auto& v : *vars) {
    if (v.first == name) {
      v.second = value;
      return;
    }
  }
  vars->emplace_back(name, value);
}

// metadata.labels['key'] -> key
bool subscript(const std::string& path, const std::string& prefix, std::string* key) {
  if (path.rfind(prefix + "['", 0) != 0 || path.size() < prefix.size() + 4) return false;
  *key = path.substr(prefix.size() + 2, path.size() - prefix.size() - 4);
  return path.compare(path.size() - 2, 2, "']") == 0;
}

bool fieldValue(const json& pod, const std::string& path, const PodAddresses& addresses, std::string* out) {
  json metadata = pod.value("metadata", json::object());
  json spec = pod.value("spec", json::object());
  std::string key;
  if (path == "metadata.name") *out = str(metadata, "name");
  else if (path == "metadata.namespace") *out = str(metadata, "namespace");
  else if (path == "metadata.uid") *out = str(metadata, "uid");
  else if (path == "spec.nodeName") *out = str(spec, "nodeName");
  else if (path == "spec.serviceAccountName") *out = str(spec, "serviceAccountName");
  else if (path == "status.podIP" || path == "status.podIPs") *out = addresses.podIp;
  else if (path == "status.hostIP" || path == "status.hostIPs") *out = addresses.hostIp;
  else if (subscript(path, "metadata.labels", &key)) *out = str(metadata.value("labels", json::object()), key.c_str());
  else if (subscript(path, "metadata.annotations", &key))
    *out = str(metadata.value("annotations", json::object()), key.c_str());
  else return false;
  return true;
}

std::string formatNumber(double value) {
  if (value == std::floor(value)) return std::to_string(static_cast<long long>(value));
  return std::to_string(value);
}

// resourceFieldRef: limits.cpu (cores, rounded up), limits.memory (bytes),
// requests.*; a missing limit falls back to the node's capacity in the
// kubelet — here 0 means "unbounded", reported as the request or 0.
std::string resourceValue(const json& container, const json& ref) {
  std::string resource = str(ref, "resource");
  size_t dot = resource.find('.');
  if (dot == std::string::npos) return "0";
  json section = container.value("resources", json::object()).value(resource.substr(0, dot), json::object());
  std::string name = resource.substr(dot + 1);
  double value = parseQuantity(section.is_object() ? str(section, name.c_str()) : "");
  double divisor = parseQuantity(str(ref, "divisor"));
  if (divisor <= 0) divisor = 1;
  double scaled = std::ceil(value / divisor);
  return formatNumber(scaled);
}

}  // namespace

double parseQuantity(const std::string& text) {
  if (text.empty()) return 0;
  char* end = nullptr;
  double number = std::strtod(text.c_str(), &end);
  std::string suffix = end ? end : "";
  static const std::pair<const char*, double> suffixes[] = {
      {"Ki", 1024.0}, {"Mi", 1048576.0}, {"Gi", 1073741824.0}, {"Ti", 1099511627776.0},
      {"k", 1e3},     {"M", 1e6},        {"G", 1e9},           {"T", 1e12},
      {"m", 1e-3},    {"", 1}};
  for (const auto& [s, factor] : suffixes) {
    if (suffix == s) return number * factor;
  }
  return number;
}

std::string expandVariables(const std::string& text, const EnvVars& vars) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 >= text.size()) {
      out += text[i];
      continue;
    }
    if (text[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    if (text[i + 1] == '(') {
      size_t close = text.find(')', i + 2);
      if (close != std::string::npos) {
        std::string name = text.substr(i + 2, close - i - 2);
        bool found = false;
        for (const auto& v : vars) {
          if (v.first == name) {
            out += v.second;
            found = true;
          }
        }
        if (!found) out += text.substr(i, close - i + 1);
        i = close;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

bool containerEnvironment(const json& pod, const json& container, const PodAddresses& addresses,
                          const ConfigSourceLookup& lookup, EnvVars* out, std::string* error) {
  out->clear();
  for (const auto& from : container.value("envFrom", json::array())) {
    std::string prefix = str(from, "prefix");
    const char* kind = from.contains("configMapRef") ? "configmap" : from.contains("secretRef") ? "secret" : nullptr;
    if (!kind) continue;
    json ref = from.contains("configMapRef") ? from["configMapRef"] : from["secretRef"];
    std::optional<json> data = lookup(kind, str(ref, "name"));
    if (!data) {
      if (ref.value("optional", false)) continue;
      *error = std::string(kind) + " \"" + str(ref, "name") + "\" not found";
      return false;
    }
    for (auto it = data->begin(); it != data->end(); ++it) {
      if (it->is_string()) setVar(out, prefix + it.key(), it->get<std::string>());
    }
  }
  for (const auto& e : container.value("env", json::array())) {
    std::string name = str(e, "name");
    if (name.empty()) continue;
    if (e.contains("value") && e["value"].is_string()) {
      setVar(out, name, expandVariables(e["value"].get<std::string>(), *out));
      continue;
    }
    json from = e.value("valueFrom", json::object());
    if (!from.is_object() || from.empty()) {
      setVar(out, name, "");
      continue;
    }
    if (from.contains("fieldRef")) {
      std::string value;
      std::string path = str(from["fieldRef"], "fieldPath");
      if (!fieldValue(pod, path, addresses, &value)) {
        *error = "unsupported fieldPath: " + path;
        return false;
      }
      setVar(out, name, value);
    } else if (from.contains("resourceFieldRef")) {
      setVar(out, name, resourceValue(container, from["resourceFieldRef"]));
    } else if (from.contains("configMapKeyRef") || from.contains("secretKeyRef")) {
      bool configMap = from.contains("configMapKeyRef");
      json ref = configMap ? from["configMapKeyRef"] : from["secretKeyRef"];
      std::string source = str(ref, "name"), key = str(ref, "key");
      std::optional<json> data = lookup(configMap ? "configmap" : "secret", source);
      bool optional = ref.value("optional", false);
      if (!data) {
        if (optional) continue;
        *error = std::string(configMap ? "configmap" : "secret") + " \"" + source + "\" not found";
        return false;
      }
      if (!data->contains(key) || !(*data)[key].is_string()) {
        if (optional) continue;
        std::string ns = str(pod.value("metadata", json::object()), "namespace");
        *error = "couldn't find key " + key + " in " + (configMap ? "ConfigMap " : "Secret ") + ns + "/" + source;
        return false;
      }
      setVar(out, name, (*data)[key].get<std::string>());
    }
  }
  return true;
}

std::vector<std::string> containerArgv(const json& container, const json& imageConfig, const EnvVars& vars) {
  auto strings = [](const json& list) {
    std::vector<std::string> out;
    if (list.is_array()) {
      for (const auto& s : list) {
        if (s.is_string()) out.push_back(s.get<std::string>());
      }
    }
    return out;
  };
  // Only the pod's own command and args are expanded, not the image's.
  std::vector<std::string> command = strings(container.value("command", json()));
  std::vector<std::string> args = strings(container.value("args", json()));
  for (auto& a : command) a = expandVariables(a, vars);
  for (auto& a : args) a = expandVariables(a, vars);
  std::vector<std::string> argv;
  if (!command.empty()) {
    argv = command;
  } else {
    argv = strings(imageConfig.value("Entrypoint", json()));
  }
  if (!args.empty()) {
    argv.insert(argv.end(), args.begin(), args.end());
  } else if (command.empty()) {
    std::vector<std::string> cmd = strings(imageConfig.value("Cmd", json()));
    argv.insert(argv.end(), cmd.begin(), cmd.end());
  }
  return argv;
}

}  // namespace minik
