// netagent/kernel_features.h — which kernel features minik can use here,
// found by asking the kernel (netlink probes, a throwaway network namespace
// for link kinds), not by guessing from version numbers; plus the report of
// `minik check-config`, in the spirit of `k3s check-config`.
//
// Contract: probes change nothing outside a private network namespace that
// a short-lived child process creates and drops.
#pragma once

#include <string>
#include <vector>

namespace minik::netagent {

// True when the kernel's IPVS generic netlink family resolves (asking for it
// loads the module where modules load). why: what was found, for logs.
bool ipvsAvailable(std::string* why);
// True when nf_tables answers a request.
bool nftablesAvailable(std::string* why);

// True when the kernel can forward SCTP Services in mode ("ipvs": IPVS
// accepts an SCTP virtual server, tried in a private network namespace;
// "nftables": conntrack tracks SCTP, so that DNAT rewrites its ports).
bool sctpAvailable(const std::string& mode, std::string* why);

// True when bridged IPv4 traffic passes the netfilter hooks
// (br_netfilter, net.bridge.bridge-nf-call-iptables=1): without it, the
// answer of a pod to another pod on the same bridge that reached it through
// a Service skips the un-NAT and is dropped by the client.
bool bridgeNetfilterEnabled();

struct KernelFeature {
  std::string name;    // "IPVS", "nftables", "veth", ...
  bool present = false;
  bool required = false;  // minik cannot run pods or Services without it
  std::string detail;  // how it was found, or what is missing
};

std::vector<KernelFeature> probeKernelFeatures();

// Prints the report to stdout; returns 0 when every required feature and at
// least one proxy mode are present, 1 otherwise.
int runCheckConfig(const std::vector<std::string>& args);

}  // namespace minik::netagent
