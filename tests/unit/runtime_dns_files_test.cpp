// A pod's /etc/resolv.conf and /etc/hosts, as the kubelet and containerd
// write them, per dnsPolicy, dnsConfig, hostNetwork, hostname/subdomain and
// hostAliases.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "runtime-shim/pod_dns_files.h"

using namespace minik;
using nlohmann::json;

namespace {

json pod(json spec) {
  return {{"metadata", {{"name", "jump"}, {"namespace", "dev"}}}, {"spec", std::move(spec)}};
}

std::string resolv(const json& p, const std::string& host = "nameserver 10.255.255.53\n") {
  return formatResolvConf(podResolverConfig(p, "10.43.0.10", "cluster.local", host));
}

}  // namespace

TEST_CASE("ClusterFirst: the cluster DNS, the namespace's search path, ndots:5") {
  CHECK(resolv(pod(json::object())) ==
        "search dev.svc.cluster.local svc.cluster.local cluster.local\n"
        "nameserver 10.43.0.10\n"
        "options ndots:5\n");
  // The host's search domains follow the cluster's; its options do not.
  CHECK(resolv(pod({{"dnsPolicy", "ClusterFirst"}}),
               "search corp.example lab.example\nnameserver 10.0.0.2\noptions rotate\n") ==
        "search dev.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example\n"
        "nameserver 10.43.0.10\n"
        "options ndots:5\n");
}

TEST_CASE("Default and hostNetwork pods get the node's resolver") {
  const std::string host = "domain lab.example\nnameserver 10.0.0.2\nnameserver 10.0.0.3\noptions timeout:2\n";
  std::string expected = "search lab.example\nnameserver 10.0.0.2\nnameserver 10.0.0.3\noptions timeout:2\n";
  CHECK(resolv(pod({{"dnsPolicy", "Default"}}), host) == expected);
  CHECK(resolv(pod({{"hostNetwork", true}}), host) == expected);
  CHECK(resolv(pod({{"hostNetwork", true}, {"dnsPolicy", "ClusterFirstWithHostNet"}}), host) ==
        "search dev.svc.cluster.local svc.cluster.local cluster.local lab.example\n"
        "nameserver 10.43.0.10\n"
        "options ndots:5\n");
}

TEST_CASE("None takes only dnsConfig; dnsConfig merges over the others") {
  json none = pod(json::parse(R"({"dnsPolicy": "None", "dnsConfig": {"nameservers": ["1.1.1.1"],
      "searches": ["a.example"], "options": [{"name": "ndots", "value": "2"}, {"name": "edns0"}]}})"));
  CHECK(resolv(none) == "search a.example\nnameserver 1.1.1.1\noptions ndots:2 edns0\n");
  json merged = pod(json::parse(R"({"dnsConfig": {"options": [{"name": "ndots", "value": "1"}],
      "searches": ["x.example"]}})"));
  CHECK(resolv(merged) ==
        "search dev.svc.cluster.local svc.cluster.local cluster.local x.example\n"
        "nameserver 10.43.0.10\n"
        "options ndots:1\n");
  json many = pod(json::parse(R"({"dnsPolicy": "None",
      "dnsConfig": {"nameservers": ["1.0.0.1", "1.0.0.2", "1.0.0.3", "1.0.0.4"]}})"));
  CHECK(podResolverConfig(many, "10.43.0.10", "cluster.local", "").nameservers.size() == 3);
}

TEST_CASE("the kubelet-managed hosts file") {
  std::string header =
      "# Kubernetes-managed hosts file.\n"
      "127.0.0.1\tlocalhost\n"
      "::1\tlocalhost ip6-localhost ip6-loopback\n"
      "fe00::0\tip6-localnet\n"
      "fe00::0\tip6-mcastprefix\n"
      "fe00::1\tip6-allnodes\n"
      "fe00::2\tip6-allrouters\n";
  CHECK(podHostsFile(pod(json::object()), "10.42.0.6", "cluster.local") == header + "10.42.0.6\tjump\n");
  CHECK(podHostsFile(pod({{"hostname", "web-0"}, {"subdomain", "web"}}), "10.42.0.7", "cluster.local") ==
        header + "10.42.0.7\tweb-0.web.dev.svc.cluster.local\tweb-0\n");
  CHECK(podHostsFile(pod(json::parse(R"({"hostAliases": [{"ip": "10.1.2.3", "hostnames": ["foo.local", "bar.local"]}]})")),
                     "10.42.0.6", "cluster.local") ==
        header + "10.42.0.6\tjump\n\n# Entries added by HostAliases.\n10.1.2.3\tfoo.local\tbar.local\n");
  CHECK(podHostname(pod({{"hostname", "h"}})) == "h");
}
