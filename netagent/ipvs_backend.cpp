#include "netagent/ipvs_backend.h"

#include <linux/netfilter/nfnetlink.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "netagent/dummy_interface.h"
#include "netagent/ipvs_messages.h"
#include "netagent/netlink_channel.h"
#include "netagent/nft_messages.h"
#include "netagent/nft_ruleset.h"
#include "netagent/reference_counts.h"

namespace minik::netagent {

namespace {

using Desired = std::map<IpvsService, std::vector<IpvsDestination>>;

constexpr uint16_t kNodePortMin = 30000;
constexpr uint16_t kNodePortMax = 32767;
constexpr size_t kFullCheckLimit = 1000;

// kube-proxy's IPVS sysctls: conntrack so that nftables can masquerade
// IPVS traffic; expiring connections to removed real servers (and their
// persistence templates) so clients move on instead of timing out.
bool writeSysctls(std::string* error) {
  const char* names[] = {"conntrack", "expire_nodest_conn", "expire_quiescent_template"};
  for (const char* name : names) {
    std::string path = std::string("/proc/sys/net/ipv4/vs/") + name;
    FILE* f = std::fopen(path.c_str(), "w");
    if (!f || std::fputs("1\n", f) < 0 || std::fclose(f) != 0) {
      *error = "cannot set net.ipv4.vs." + std::string(name) + "=1";
      return false;
    }
  }
  return true;
}

class IpvsBackend : public ProxyBackend {
 public:
  IpvsBackend(const IpvsOptions& options, std::unique_ptr<NetlinkChannel> genl, uint16_t family,
              std::unique_ptr<NetlinkChannel> nft)
      : options_(options),
        genl_(std::move(genl)),
        messages_(family),
        nft_(std::move(nft)),
        ruleset_(NftLayout{options.nftTable, options.clusterCidr, 0x4000}) {
    if (auto cidr = parseIpv4Cidr(options.serviceCidr)) {
      serviceNet_ = cidr->first;
      serviceMask_ = cidr->second == 0 ? 0 : ~uint32_t{0} << (32 - cidr->second);
    }
  }

  const char* mode() const override { return "ipvs"; }

  bool replaceAll(const ProxyState& state, std::string* error) override {
    if (!writeSysctls(error)) return false;
    if (!ensureInterface(error)) return false;
    Desired desired = desiredOf(state);
    std::map<IpvsService, std::vector<IpvsDestination>> existing;
    if (!dumpOwned(&existing, error)) return false;

    NetlinkWriter w = writer();
    writeTransition(w, existing, desired);
    if (!send(w, error)) return false;

    std::set<uint32_t> present;
    if (!interface_->addresses(&present, error)) return false;
    std::set<uint32_t> wanted;
    for (const auto& [key, vs] : state) wanted.insert(vs.clusterIp);
    std::vector<uint32_t> add, remove;
    std::set_difference(wanted.begin(), wanted.end(), present.begin(), present.end(), std::back_inserter(add));
    std::set_difference(present.begin(), present.end(), wanted.begin(), wanted.end(), std::back_inserter(remove));
    if (!interface_->change(add, remove, error)) return false;

    NetlinkWriter n = nftWriter();
    nft::batchBegin(n);
    ruleset_.writeIpvsMasquerade(n, options_.serviceCidr, backendAddresses(state));
    n.ackLast();
    nft::batchEnd(n);
    if (!nft_->exchange(n, nullptr, error)) {
      *error = "nftables masquerade table: " + *error;
      return false;
    }
    ReferenceCounts::Delta addressUsers, hairpinUsers;
    for (const auto& [key, vs] : state) count(vs, +1, addressUsers, hairpinUsers);
    addressRefs_.clear();
    addressRefs_.commit(addressUsers);
    hairpinRefs_.clear();
    hairpinRefs_.commit(hairpinUsers);
    return true;
  }

  bool apply(const std::vector<ProxyChange>& changes, std::string* error) override {
    if (changes.empty()) return true;
    if (!interface_) {
      *error = "not programmed yet";
      return false;
    }
    NetlinkWriter w = writer();
    ReferenceCounts::Delta addressDelta, hairpinDelta;
    for (const ProxyChange& change : changes) {
      writeTransition(w, change.before ? desiredOf(*change.before) : Desired{},
                      change.after ? desiredOf(*change.after) : Desired{});
      if (change.after) count(*change.after, +1, addressDelta, hairpinDelta);
      if (change.before) count(*change.before, -1, addressDelta, hairpinDelta);
    }
    std::vector<uint32_t> addAddresses, removeAddresses, addPairs, removePairs;
    addressRefs_.split(addressDelta, &addAddresses, &removeAddresses);
    hairpinRefs_.split(hairpinDelta, &addPairs, &removePairs);
    // Addresses first: a virtual server on an address not yet local would
    // see no traffic until the address comes.
    if (!interface_->change(addAddresses, {}, error)) return false;
    if (!send(w, error)) return false;
    if (!interface_->change({}, removeAddresses, error)) return false;
    if (!addPairs.empty() || !removePairs.empty()) {
      NetlinkWriter n = nftWriter();
      nft::batchBegin(n);
      ruleset_.writeHairpin(n, removePairs, false);
      ruleset_.writeHairpin(n, addPairs, true);
      n.ackLast();
      nft::batchEnd(n);
      if (!nft_->exchange(n, nullptr, error)) return false;
    }
    addressRefs_.commit(addressDelta);
    hairpinRefs_.commit(hairpinDelta);
    return true;
  }

  bool holds(const ProxyState& state) override {
    std::string error;
    Desired existing;
    Desired desired = desiredOf(state);
    // Real servers are read one dump per virtual server (the kernel runs
    // one dump at a time): beyond a thousand the check reads only the
    // virtual servers, which still catches `ipvsadm -C` and restarts.
    const bool withDestinations = desired.size() <= kFullCheckLimit;
    if (!interface_ || !dumpOwned(&existing, &error, withDestinations)) return false;
    if (existing.size() != desired.size()) return false;
    for (const auto& [service, dests] : desired) {
      auto found = existing.find(service);
      if (found == existing.end() || !found->first.sameSettings(service)) return false;
      if (!withDestinations) continue;
      auto a = dests, b = found->second;
      auto less = [](const IpvsDestination& x, const IpvsDestination& y) {
        return std::tie(x.address, x.port, x.weight) < std::tie(y.address, y.port, y.weight);
      };
      std::sort(a.begin(), a.end(), less);
      std::sort(b.begin(), b.end(), less);
      if (!std::equal(a.begin(), a.end(), b.begin(), b.end(), [&](const auto& x, const auto& y) {
            return !less(x, y) && !less(y, x);
          })) {
        return false;
      }
    }
    std::set<uint32_t> present, wanted;
    if (!interface_->addresses(&present, &error)) return false;
    for (const auto& [key, vs] : state) wanted.insert(vs.clusterIp);
    return present == wanted;
  }

  bool cleanup(std::string* error) override {
    Desired existing;
    if (!dumpOwned(&existing, error)) return false;
    NetlinkWriter w = writer();
    for (const auto& [service, dests] : existing) messages_.deleteService(w, service);
    if (!send(w, error)) return false;
    if (!DummyInterface::remove(options_.interfaceName, error)) return false;
    interface_.reset();
    NetlinkWriter n = nftWriter();
    nft::batchBegin(n);
    ruleset_.writeRemoveAll(n);
    n.ackLast();
    nft::batchEnd(n);
    addressRefs_.clear();
    hairpinRefs_.clear();
    return nft_->exchange(n, nullptr, error);
  }

  BackendCounters counters() const override {
    BackendCounters c;
    c.messages = genl_->messagesSent() + nft_->messagesSent() + (interface_ ? interface_->messagesSent() : 0);
    c.bytes = genl_->bytesSent() + nft_->bytesSent();
    return c;
  }

 private:
  NetlinkWriter writer() { return NetlinkWriter(genl_->takeSequences(1u << 20)); }
  NetlinkWriter nftWriter() { return NetlinkWriter(nft_->takeSequences(1u << 20)); }

  bool ensureInterface(std::string* error) {
    if (!interface_) interface_ = DummyInterface::ensure(options_.interfaceName, error);
    return interface_ != nullptr;
  }

  bool owned(const IpvsService& s) const {
    if (serviceMask_ != 0 && (s.address & serviceMask_) == serviceNet_) return true;
    bool nodeAddress = std::find(options_.nodeAddresses.begin(), options_.nodeAddresses.end(), s.address) !=
                       options_.nodeAddresses.end();
    return nodeAddress && s.port >= kNodePortMin && s.port <= kNodePortMax;
  }

  Desired desiredOf(const VirtualService& vs) const {
    IpvsService service;
    service.address = vs.clusterIp;
    service.port = vs.port;
    service.protocol = vs.protocol;
    service.scheduler = options_.scheduler;
    service.persistenceSeconds = vs.affinitySeconds;
    std::vector<IpvsDestination> dests;
    for (const Backend& b : vs.backends) dests.push_back({b.ip, b.port, b.draining ? 0u : 1u});
    Desired out;
    out[service] = dests;
    if (vs.nodePort) {
      for (uint32_t node : options_.nodeAddresses) {
        IpvsService np = service;
        np.address = node;
        np.port = vs.nodePort;
        out[np] = dests;
      }
    }
    return out;
  }

  Desired desiredOf(const ProxyState& state) const {
    Desired out;
    for (const auto& [key, vs] : state) {
      Desired one = desiredOf(vs);
      out.insert(one.begin(), one.end());
    }
    return out;
  }

  // The messages that turn the virtual servers of from into those of to.
  void writeTransition(NetlinkWriter& w, const Desired& from, const Desired& to) const {
    for (const auto& [service, dests] : from) {
      if (!to.count(service)) messages_.deleteService(w, service);
    }
    for (const auto& [service, dests] : to) {
      auto old = from.find(service);
      if (old == from.end()) {
        messages_.newService(w, service);
        for (const IpvsDestination& d : dests) messages_.newDestination(w, service, d);
        continue;
      }
      if (!old->first.sameSettings(service)) messages_.setService(w, service);
      syncDestinations(w, service, old->second, dests);
    }
  }

  void syncDestinations(NetlinkWriter& w, const IpvsService& service, const std::vector<IpvsDestination>& have,
                        const std::vector<IpvsDestination>& want) const {
    std::map<std::pair<uint32_t, uint16_t>, uint32_t> present;
    for (const IpvsDestination& d : have) present[{d.address, d.port}] = d.weight;
    std::set<std::pair<uint32_t, uint16_t>> wanted;
    for (const IpvsDestination& d : want) {
      wanted.insert({d.address, d.port});
      auto it = present.find({d.address, d.port});
      if (it == present.end()) {
        messages_.newDestination(w, service, d);
      } else if (it->second != d.weight) {
        messages_.setDestination(w, service, d);
      }
    }
    for (const IpvsDestination& d : have) {
      if (!wanted.count({d.address, d.port})) messages_.deleteDestination(w, service, d);
    }
  }

  // The virtual servers minik owns, with their real servers.
  bool dumpOwned(Desired* out, std::string* error, bool withDestinations = true) {
    NetlinkWriter w = writer();
    messages_.dumpServices(w);
    std::vector<IpvsService> services;
    if (!genl_->exchange(
            w,
            [&](const nlmsghdr& reply) {
              auto s = IpvsMessages::parseService(reply);
              if (s && owned(*s)) services.push_back(*s);
            },
            error)) {
      return false;
    }
    if (!withDestinations) {
      for (const IpvsService& s : services) (*out)[s];
      return true;
    }
    // One dump at a time: the kernel refuses a second while one runs.
    for (const IpvsService& s : services) {
      NetlinkWriter d = writer();
      messages_.dumpDestinations(d, s);
      std::vector<IpvsDestination>& dests = (*out)[s];
      if (!genl_->exchange(
              d,
              [&](const nlmsghdr& reply) {
                if (auto dest = IpvsMessages::parseDestination(reply)) dests.push_back(*dest);
              },
              error)) {
        return false;
      }
    }
    return true;
  }

  bool send(const NetlinkWriter& w, std::string* error) {
    std::string why;
    if (genl_->exchange(w, nullptr, &why)) return true;
    *error = "IPVS: " + why;
    return false;
  }

  static void count(const VirtualService& vs, int delta, ReferenceCounts::Delta& addresses,
                    ReferenceCounts::Delta& hairpin) {
    addresses[vs.clusterIp] += delta;
    for (const Backend& b : vs.backends) hairpin[b.ip] += delta;
  }

  IpvsOptions options_;
  std::unique_ptr<NetlinkChannel> genl_;
  IpvsMessages messages_;
  std::unique_ptr<NetlinkChannel> nft_;
  NftRuleset ruleset_;
  std::unique_ptr<DummyInterface> interface_;
  uint32_t serviceNet_ = 0, serviceMask_ = 0;
  ReferenceCounts addressRefs_;  // ClusterIP -> virtual services on it
  ReferenceCounts hairpinRefs_;  // endpoint -> virtual services using it
};

}  // namespace

std::unique_ptr<ProxyBackend> makeIpvsBackend(const IpvsOptions& options, std::string* error) {
  auto genl = NetlinkChannel::open(NETLINK_GENERIC, error);
  if (!genl) return nullptr;
  int family = genl->resolveFamily("IPVS");
  if (family < 0) {
    *error = "the kernel has no IPVS generic netlink family";
    return nullptr;
  }
  auto nft = NetlinkChannel::open(NETLINK_NETFILTER, error);
  if (!nft) return nullptr;
  return std::make_unique<IpvsBackend>(options, std::move(genl), static_cast<uint16_t>(family), std::move(nft));
}

bool cleanupIpvs(const IpvsOptions& options, std::string* error) {
  auto backend = makeIpvsBackend(options, error);
  return backend && backend->cleanup(error);
}

}  // namespace minik::netagent
