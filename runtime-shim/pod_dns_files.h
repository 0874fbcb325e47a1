// runtime-shim/pod_dns_files.h — the /etc/resolv.conf, /etc/hosts and
// /etc/hostname a pod's containers see, written as the kubelet and containerd
// write them (pkg/kubelet/network/dns and the kubelet's managed hosts file).
//
// resolv.conf per spec.dnsPolicy:
//  - ClusterFirst (default; also ClusterFirstWithHostNet): `nameserver
//    <cluster DNS>`, `search <ns>.svc.<domain> svc.<domain> <domain>` plus the
//    host's search domains, `options ndots:5`. A hostNetwork pod with
//    ClusterFirst gets the host's settings, as in Kubernetes.
//  - Default: the host's nameservers, search domains and options.
//  - None: only what spec.dnsConfig says.
//  spec.dnsConfig is merged over the result in every policy; the limits are
//  Kubernetes' (3 nameservers, 32 search domains, 2048 characters of search).
// Pure functions: no I/O.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace minik {

struct ResolverConfig {
  std::vector<std::string> nameservers;
  std::vector<std::string> searches;
  std::vector<std::string> options;
};

// Parses resolv.conf text (nameserver, search/domain, options lines).
ResolverConfig parseResolvConf(const std::string& text);

// What the pod gets; hostResolvConf is the text of the node's resolv.conf.
ResolverConfig podResolverConfig(const nlohmann::json& pod, const std::string& clusterDns,
                                 const std::string& clusterDomain, const std::string& hostResolvConf);
// As containerd writes it: search, nameserver(s), options lines.
std::string formatResolvConf(const ResolverConfig& config);

// The kubelet-managed hosts file for a pod with address podIp.
std::string podHostsFile(const nlohmann::json& pod, const std::string& podIp,
                         const std::string& clusterDomain);
// spec.hostname or metadata.name (truncated to 63 characters as the kubelet does).
std::string podHostname(const nlohmann::json& pod);

}  // namespace minik
