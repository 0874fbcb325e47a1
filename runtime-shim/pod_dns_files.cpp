#include "runtime-shim/pod_dns_files.h"

#include <algorithm>
#include <sstream>

namespace minik {

using json = nlohmann::json;

namespace {

// Kubernetes' limits (pkg/apis/core/validation: MaxDNSNameservers,
// MaxDNSSearchPaths, MaxDNSSearchListChars).
constexpr size_t kMaxNameservers = 3;
constexpr size_t kMaxSearchPaths = 32;
constexpr size_t kMaxSearchChars = 2048;

std::string str(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

const json& spec(const json& pod) {
  static const json empty = json::object();
  auto it = pod.find("spec");
  return it != pod.end() && it->is_object() ? *it : empty;
}

std::vector<std::string> withoutDuplicates(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const auto& s : in) {
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  return out;
}

std::string optionName(const std::string& option) { return option.substr(0, option.find(':')); }

// Options of the pod override those of the same name (appendDNSConfig).
std::vector<std::string> mergeOptions(const std::vector<std::string>& base, const json& podOptions) {
  std::vector<std::string> out = base;
  if (!podOptions.is_array()) return out;
  for (const auto& o : podOptions) {
    std::string name = str(o, "name");
    if (name.empty()) continue;
    std::string value = o.contains("value") && o["value"].is_string() ? name + ":" + o["value"].get<std::string>() : name;
    auto same = std::find_if(out.begin(), out.end(), [&](const std::string& s) { return optionName(s) == name; });
    if (same != out.end()) *same = value;
    else out.push_back(value);
  }
  return out;
}

}  // namespace

ResolverConfig parseResolvConf(const std::string& text) {
  ResolverConfig out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    size_t hash = line.find_first_of("#;");
    if (hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string key, word;
    if (!(words >> key)) continue;
    std::vector<std::string> values;
    while (words >> word) values.push_back(word);
    if (key == "nameserver" && !values.empty()) {
      out.nameservers.push_back(values[0]);
    } else if (key == "search" || key == "domain") {
      // The last search/domain line wins, as in the resolver.
      out.searches.clear();
      for (auto& v : values) {
        if (v != ".") out.searches.push_back(v);
      }
    } else if (key == "options") {
      for (auto& v : values) out.options.push_back(v);
    }
  }
  return out;
}

ResolverConfig podResolverConfig(const json& pod, const std::string& clusterDns,
                                 const std::string& clusterDomain, const std::string& hostResolvConf) {
  const json& s = spec(pod);
  std::string policy = str(s, "dnsPolicy");
  if (policy.empty()) policy = "ClusterFirst";
  bool hostNetwork = s.value("hostNetwork", false);
  ResolverConfig host = parseResolvConf(hostResolvConf);
  ResolverConfig out;
  bool cluster = (policy == "ClusterFirst" && !hostNetwork) || policy == "ClusterFirstWithHostNet";
  if (policy == "None") {
    // Only spec.dnsConfig.
  } else if (cluster && !clusterDns.empty()) {
    std::string ns = str(pod.value("metadata", json::object()), "namespace");
    if (ns.empty()) ns = "default";
    out.nameservers = {clusterDns};
    out.searches = {ns + ".svc." + clusterDomain, "svc." + clusterDomain, clusterDomain};
    out.searches.insert(out.searches.end(), host.searches.begin(), host.searches.end());
    out.searches = withoutDuplicates(out.searches);
    out.options = {"ndots:5"};
  } else {
    out = host;
  }
  auto dnsConfig = s.find("dnsConfig");
  if (dnsConfig != s.end() && dnsConfig->is_object()) {
    if (dnsConfig->contains("nameservers") && (*dnsConfig)["nameservers"].is_array()) {
      for (const auto& n : (*dnsConfig)["nameservers"]) {
        if (n.is_string()) out.nameservers.push_back(n.get<std::string>());
      }
      out.nameservers = withoutDuplicates(out.nameservers);
    }
    if (dnsConfig->contains("searches") && (*dnsConfig)["searches"].is_array()) {
      for (const auto& n : (*dnsConfig)["searches"]) {
        if (n.is_string()) out.searches.push_back(n.get<std::string>());
      }
      out.searches = withoutDuplicates(out.searches);
    }
    out.options = mergeOptions(out.options, dnsConfig->value("options", json()));
  }
  if (out.nameservers.size() > kMaxNameservers) out.nameservers.resize(kMaxNameservers);
  if (out.searches.size() > kMaxSearchPaths) out.searches.resize(kMaxSearchPaths);
  size_t chars = 0;
  for (size_t i = 0; i < out.searches.size(); ++i) {
    chars += out.searches[i].size() + (i ? 1 : 0);
    if (chars > kMaxSearchChars) {
      out.searches.resize(i);
      break;
    }
  }
  return out;
}

std::string formatResolvConf(const ResolverConfig& config) {
  std::string out;
  auto join = [](const std::vector<std::string>& words, const char* separator) {
    std::string text;
    for (size_t i = 0; i < words.size(); ++i) text += (i ? separator : "") + words[i];
    return text;
  };
  if (!config.searches.empty()) out += "search " + join(config.searches, " ") + "\n";
  if (!config.nameservers.empty()) out += "nameserver " + join(config.nameservers, "\nnameserver ") + "\n";
  if (!config.options.empty()) out += "options " + join(config.options, " ") + "\n";
  return out;
}

std::string podHostname(const json& pod) {
  std::string name = str(spec(pod), "hostname");
  if (name.empty()) name = str(pod.value("metadata", json::object()), "name");
  if (name.size() > 63) name.resize(63);
  while (!name.empty() && (name.back() == '-' || name.back() == '.')) name.pop_back();
  return name;
}

std::string podHostsFile(const json& pod, const std::string& podIp, const std::string& clusterDomain) {
  const json& s = spec(pod);
  std::string out =
      "# Kubernetes-managed hosts file.\n"
      "127.0.0.1\tlocalhost\n"
      "::1\tlocalhost ip6-localhost ip6-loopback\n"
      "fe00::0\tip6-localnet\n"
      "fe00::0\tip6-mcastprefix\n"
      "fe00::1\tip6-allnodes\n"
      "fe00::2\tip6-allrouters\n";
  std::string hostname = podHostname(pod);
  std::string subdomain = str(s, "subdomain");
  if (!podIp.empty()) {
    if (!subdomain.empty()) {
      std::string ns = str(pod.value("metadata", json::object()), "namespace");
      out += podIp + "\t" + hostname + "." + subdomain + "." + ns + ".svc." + clusterDomain + "\t" + hostname + "\n";
    } else {
      out += podIp + "\t" + hostname + "\n";
    }
  }
  auto aliases = s.find("hostAliases");
  if (aliases != s.end() && aliases->is_array() && !aliases->empty()) {
    out += "\n# Entries added by HostAliases.\n";
    for (const auto& alias : *aliases) {
      std::string line = str(alias, "ip");
      if (alias.contains("hostnames") && alias["hostnames"].is_array()) {
        for (const auto& h : alias["hostnames"]) {
          if (h.is_string()) line += "\t" + h.get<std::string>();
        }
      }
      out += line + "\n";
    }
  }
  return out;
}

}  // namespace minik
