#include "runtime-shim/pod_volumes.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime-shim/file_tree.h"

namespace minik {

using json = nlohmann::json;

namespace {

bool safeKeyPath(const std::string& path) {
  return !path.empty() && path[0] != '/' && path.find("..") == std::string::npos;
}

// Writes data (key -> content) into dir per items[] (or every key).
bool writeKeys(const std::string& dir, const json& data, const json& source, const std::string& what,
               std::string* error) {
  removeTree(dir);
  makeDirs(dir, 0755);
  int defaultMode = source.value("defaultMode", 0644);
  auto writeOne = [&](const std::string& key, const std::string& path, int mode) {
    if (!safeKeyPath(path)) return;
    std::string target = dir + "/" + path;
    size_t slash = target.find_last_of('/');
    makeDirs(target.substr(0, slash), 0755);
    writeFile(target, data[key].get<std::string>(), static_cast<unsigned>(mode));
    chmod(target.c_str(), static_cast<mode_t>(mode));
  };
  json items = source.value("items", json::array());
  if (items.is_array() && !items.empty()) {
    for (const auto& item : items) {
      std::string key = item.value("key", "");
      if (!data.contains(key) || !data[key].is_string()) {
        if (source.value("optional", false)) continue;
        *error = "configmap references non-existent config key: " + key;
        if (what == "secret") *error = "references non-existent secret key: " + key;
        return false;
      }
      writeOne(key, item.value("path", key), item.value("mode", defaultMode));
    }
    return true;
  }
  for (auto it = data.begin(); it != data.end(); ++it) {
    if (it->is_string()) writeOne(it.key(), it.key(), defaultMode);
  }
  return true;
}

}  // namespace

std::string decodeBase64(const std::string& text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  std::string out;
  int bits = 0, buffer = 0;
  for (char c : text) {
    int v = value(c);
    if (v < 0) continue;
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

bool materializeVolumes(const json& pod, const std::string& podDir, const ConfigSourceLookup& lookup,
                        std::map<std::string, std::string>* volumePaths, std::string* error) {
  json volumes = pod.value("spec", json::object()).value("volumes", json::array());
  if (!volumes.is_array()) return true;
  for (const auto& v : volumes) {
    std::string name = v.value("name", "");
    std::string dir = podDir + "/volumes/" + name;
    if (v.contains("emptyDir")) {
      makeDirs(dir, 0777);
      chmod(dir.c_str(), 0777);
    } else if (v.contains("configMap") || v.contains("secret")) {
      bool secret = v.contains("secret");
      json source = secret ? v["secret"] : v["configMap"];
      std::string sourceName = source.value(secret ? "secretName" : "name", "");
      std::optional<json> data = lookup(secret ? "secret" : "configmap", sourceName);
      if (!data) {
        if (!source.value("optional", false)) {
          *error = "MountVolume.SetUp failed for volume \"" + name + "\" : " + (secret ? "secret" : "configmap") +
                   " \"" + sourceName + "\" not found";
          return false;
        }
        data = json::object();
      }
      if (!writeKeys(dir, *data, source, secret ? "secret" : "configmap", error)) {
        *error = "MountVolume.SetUp failed for volume \"" + name + "\" : " + *error;
        return false;
      }
    } else if (v.contains("downwardAPI")) {
      json files = json::object();
      json items = json::array();
      PodAddresses none;
      for (const auto& item : v["downwardAPI"].value("items", json::array())) {
        if (!item.contains("fieldRef")) continue;
        EnvVars vars;
        std::string unused;
        json fake = {{"env", json::array({{{"name", "V"}, {"valueFrom", {{"fieldRef", item["fieldRef"]}}}}})}};
        std::string path = item["fieldRef"].value("fieldPath", "");
        std::string content;
        if (path == "metadata.labels" || path == "metadata.annotations") {
          json map = pod.value("metadata", json::object()).value(path.substr(9), json::object());
          for (auto it = map.begin(); it != map.end(); ++it) {
            content += it.key() + "=\"" + it->get<std::string>() + "\"\n";
          }
        } else if (containerEnvironment(pod, fake, none, lookup, &vars, &unused) && !vars.empty()) {
          content = vars[0].second;
        }
        files[item.value("path", "")] = content;
        items.push_back({{"key", item.value("path", "")}, {"path", item.value("path", "")}});
      }
      json source = v["downwardAPI"];
      source["items"] = items;
      if (!writeKeys(dir, files, source, "downwardAPI", error)) return false;
    } else if (v.contains("hostPath")) {
      std::string path = v["hostPath"].value("path", "");
      std::string type = v["hostPath"].value("type", "");
      if (type == "DirectoryOrCreate") makeDirs(path, 0755);
      if (type == "FileOrCreate") {
        int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd >= 0) close(fd);
      }
      struct stat st;
      if ((type == "Directory" || type == "File" || type == "Socket") && stat(path.c_str(), &st) != 0) {
        *error = "MountVolume.SetUp failed for volume \"" + name + "\" : hostPath type check failed: " + path +
                 " is not a " + (type == "Directory" ? "directory" : type == "File" ? "file" : "socket");
        return false;
      }
      (*volumePaths)[name] = path;
      continue;
    } else {
      *error = "volume \"" + name + "\": this kind of volume is not supported by minik yet";
      return false;
    }
    (*volumePaths)[name] = dir;
  }
  return true;
}

std::vector<HostMount> volumeMounts(const json& container, const std::map<std::string, std::string>& volumePaths) {
  std::vector<HostMount> out;
  for (const auto& m : container.value("volumeMounts", json::array())) {
    auto it = volumePaths.find(m.value("name", ""));
    if (it == volumePaths.end()) continue;
    HostMount mount;
    mount.destination = m.value("mountPath", "");
    mount.source = it->second;
    std::string subPath = m.value("subPath", "");
    if (!subPath.empty() && safeKeyPath(subPath)) {
      mount.source += "/" + subPath;
      struct stat st;
      if (stat(mount.source.c_str(), &st) != 0) makeDirs(mount.source, 0755);
    }
    mount.readOnly = m.value("readOnly", false);
    out.push_back(mount);
  }
  return out;
}

}  // namespace minik
