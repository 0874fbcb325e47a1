#include "dns/zone.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "dns/wire.h"

namespace minik::dns {

Address Address::parse(std::string_view text) {
  Address a;
  char buffer[64];
  if (text.empty() || text.size() >= sizeof buffer) return a;
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = 0;
  if (inet_pton(AF_INET, buffer, a.bytes) == 1) {
    a.length = 4;
  } else if (inet_pton(AF_INET6, buffer, a.bytes) == 1) {
    a.length = 16;
  }
  return a;
}

std::string Address::dashed() const {
  char text[INET6_ADDRSTRLEN] = {0};
  if (!inet_ntop(length == 4 ? AF_INET : AF_INET6, bytes, text, sizeof text)) return {};
  std::string out = text;
  for (auto& c : out) {
    if (c == '.' || c == ':') c = '-';
  }
  return out;
}

bool operator<(const Address& a, const Address& b) {
  if (a.length != b.length) return a.length < b.length;
  return std::memcmp(a.bytes, b.bytes, a.length) < 0;
}

bool operator==(const Address& a, const Address& b) {
  return a.length == b.length && std::memcmp(a.bytes, b.bytes, a.length) == 0;
}

// ---- lookups ----------------------------------------------------------------

const Zone::Namespace* Zone::findNamespace(std::string_view name) const {
  auto it = std::lower_bound(namespaces_.begin(), namespaces_.end(), name,
                             [this](const Namespace& n, std::string_view v) { return text(n.name) < v; });
  return it != namespaces_.end() && text(it->name) == name ? &*it : nullptr;
}

const Zone::Service* Zone::findService(const Namespace& ns, std::string_view name) const {
  auto first = services_.begin() + ns.firstService;
  auto last = first + ns.serviceCount;
  auto it = std::lower_bound(first, last, name,
                             [this](const Service& s, std::string_view v) { return text(s.name) < v; });
  return it != last && text(it->name) == name ? &*it : nullptr;
}

std::pair<const Zone::Endpoint*, const Zone::Endpoint*> Zone::findEndpoints(
    const Service& service, std::string_view hostname) const {
  const Endpoint* first = endpoints_.data() + service.firstEndpoint;
  const Endpoint* last = first + service.endpointCount;
  auto lo = std::lower_bound(first, last, hostname,
                             [this](const Endpoint& e, std::string_view v) { return text(e.hostname) < v; });
  auto hi = std::upper_bound(lo, last, hostname,
                             [this](std::string_view v, const Endpoint& e) { return v < text(e.hostname); });
  return {lo, hi};
}

std::pair<const Zone::Reverse*, const Zone::Reverse*> Zone::findReverse(const Address& address) const {
  auto range = std::equal_range(
      reverse_.data(), reverse_.data() + reverse_.size(), Reverse{address, 0, 0},
      [](const Reverse& a, const Reverse& b) { return a.address < b.address; });
  return {range.first, range.second};
}

size_t Zone::memoryBytes() const {
  return sizeof(Zone) + origin_.capacity() + pool_.capacity() +
         namespaces_.capacity() * sizeof(Namespace) + services_.capacity() * sizeof(Service) +
         addresses_.capacity() * sizeof(Address) + ports_.capacity() * sizeof(Port) +
         endpoints_.capacity() * sizeof(Endpoint) + reverse_.capacity() * sizeof(Reverse);
}

// ---- writing ------------------------------------------------------------------

ZoneWriter::ZoneWriter(std::string_view origin, uint32_t serial, uint32_t ttl)
    : zone_(new Zone) {
  uint8_t wire[kMaxNameLength];
  size_t n = toWireName(origin, wire, sizeof wire);
  if (n == 0) n = toWireName("cluster.local", wire, sizeof wire);
  zone_->origin_.assign(reinterpret_cast<const char*>(wire), n);
  zone_->serial_ = serial;
  zone_->ttl_ = ttl;
}

void ZoneWriter::setDnsAddress(const Address& address) { zone_->dnsAddress_ = address; }

Zone::Text ZoneWriter::intern(std::string_view text) {
  std::string key(text);
  for (auto& c : key) c = char(std::tolower(static_cast<unsigned char>(c)));
  auto it = interned_.find(key);
  if (it != interned_.end()) return it->second;
  Zone::Text t{uint32_t(zone_->pool_.size()), uint32_t(key.size())};
  zone_->pool_ += key;
  interned_.emplace(std::move(key), t);
  return t;
}

void ZoneWriter::addNamespace(std::string_view name) { namespaceNames_.push_back(intern(name)); }

void ZoneWriter::addService(std::string_view ns, std::string_view name, ServiceKind kind,
                            std::string_view externalName) {
  PendingService p;
  p.ns = intern(ns);
  p.service.name = intern(name);
  p.service.kind = kind;
  p.service.firstAddress = uint32_t(zone_->addresses_.size());
  p.service.firstPort = uint32_t(zone_->ports_.size());
  p.service.firstEndpoint = uint32_t(zone_->endpoints_.size());
  if (kind == ServiceKind::ExternalName) {
    uint8_t wire[kMaxNameLength];
    size_t n = toWireName(externalName, wire, sizeof wire);
    if (n > 1) {
      p.service.externalName = {uint32_t(zone_->pool_.size()), uint32_t(n)};
      zone_->pool_.append(reinterpret_cast<const char*>(wire), n);
    }
  }
  pending_.push_back(p);
  endpointPortsFirst_ = endpointPortsCount_ = 0;
}

void ZoneWriter::addClusterAddress(const Address& address) {
  if (pending_.empty() || !address.valid()) return;
  zone_->addresses_.push_back(address);
  ++pending_.back().service.addressCount;
}

Zone::Port ZoneWriter::makePort(std::string_view name, std::string_view protocol, uint16_t number) {
  Zone::Port port;
  port.name = intern(name);
  port.protocol = intern(protocol.empty() ? std::string_view("tcp") : protocol);
  port.number = number;
  return port;
}

void ZoneWriter::addServicePort(std::string_view name, std::string_view protocol, uint16_t number) {
  if (pending_.empty()) return;
  zone_->ports_.push_back(makePort(name, protocol, number));
  ++pending_.back().service.portCount;
}

void ZoneWriter::beginEndpointPorts() {
  endpointPortsFirst_ = uint32_t(zone_->ports_.size());
  endpointPortsCount_ = 0;
}

void ZoneWriter::addEndpointPort(std::string_view name, std::string_view protocol, uint16_t number) {
  zone_->ports_.push_back(makePort(name, protocol, number));
  ++endpointPortsCount_;
}

void ZoneWriter::addEndpoint(std::string_view hostname, const Address& address) {
  if (pending_.empty() || !address.valid()) return;
  Zone::Endpoint e;
  std::string derived;
  if (hostname.empty()) {
    derived = address.dashed();
    hostname = derived;
  }
  e.hostname = {uint32_t(zone_->pool_.size()), uint32_t(hostname.size())};
  for (char c : hostname) zone_->pool_ += char(std::tolower(static_cast<unsigned char>(c)));
  e.address = address;
  e.firstPort = endpointPortsFirst_;
  e.portCount = endpointPortsCount_;
  zone_->endpoints_.push_back(e);
  ++pending_.back().service.endpointCount;
}

std::shared_ptr<const Zone> ZoneWriter::finish() {
  Zone& z = *zone_;
  auto text = [&z](Zone::Text t) { return z.text(t); };

  // Endpoints of each Service sorted by hostname (then address), duplicates
  // (the same address in two slices) dropped.
  std::vector<Zone::Endpoint> endpoints;
  endpoints.reserve(z.endpoints_.size());
  for (auto& p : pending_) {
    auto first = z.endpoints_.begin() + p.service.firstEndpoint;
    auto last = first + p.service.endpointCount;
    std::sort(first, last, [&](const Zone::Endpoint& a, const Zone::Endpoint& b) {
      std::string_view ha = text(a.hostname), hb = text(b.hostname);
      return ha != hb ? ha < hb : a.address < b.address;
    });
    auto end = std::unique(first, last, [&](const Zone::Endpoint& a, const Zone::Endpoint& b) {
      return text(a.hostname) == text(b.hostname) && a.address == b.address;
    });
    p.service.firstEndpoint = uint32_t(endpoints.size());
    p.service.endpointCount = uint32_t(end - first);
    endpoints.insert(endpoints.end(), first, end);
  }
  z.endpoints_ = std::move(endpoints);

  std::stable_sort(pending_.begin(), pending_.end(), [&](const PendingService& a, const PendingService& b) {
    std::string_view na = text(a.ns), nb = text(b.ns);
    return na != nb ? na < nb : text(a.service.name) < text(b.service.name);
  });
  pending_.erase(std::unique(pending_.begin(), pending_.end(),
                             [&](const PendingService& a, const PendingService& b) {
                               return text(a.ns) == text(b.ns) &&
                                      text(a.service.name) == text(b.service.name);
                             }),
                 pending_.end());

  for (auto& p : pending_) namespaceNames_.push_back(p.ns);
  std::sort(namespaceNames_.begin(), namespaceNames_.end(),
            [&](Zone::Text a, Zone::Text b) { return text(a) < text(b); });
  namespaceNames_.erase(std::unique(namespaceNames_.begin(), namespaceNames_.end(),
                                    [&](Zone::Text a, Zone::Text b) { return text(a) == text(b); }),
                        namespaceNames_.end());
  z.namespaces_.reserve(namespaceNames_.size());
  for (auto t : namespaceNames_) z.namespaces_.push_back(Zone::Namespace{t, 0, 0});

  z.services_.reserve(pending_.size());
  size_t nsIndex = 0;
  for (auto& p : pending_) {
    while (text(z.namespaces_[nsIndex].name) != text(p.ns)) ++nsIndex;
    Zone::Namespace& ns = z.namespaces_[nsIndex];
    if (ns.serviceCount == 0) ns.firstService = uint32_t(z.services_.size());
    ++ns.serviceCount;
    p.service.ns = uint32_t(nsIndex);
    z.services_.push_back(p.service);
  }

  for (uint32_t s = 0; s < z.services_.size(); ++s) {
    const Zone::Service& service = z.services_[s];
    if (service.kind == ServiceKind::ClusterIp) {
      for (uint32_t a = 0; a < service.addressCount; ++a) {
        z.reverse_.push_back(Zone::Reverse{z.addresses_[service.firstAddress + a], s, Zone::kNoEndpoint});
      }
    }
    for (uint32_t e = 0; e < service.endpointCount; ++e) {
      uint32_t index = service.firstEndpoint + e;
      z.reverse_.push_back(Zone::Reverse{z.endpoints_[index].address, s, index});
    }
  }
  std::stable_sort(z.reverse_.begin(), z.reverse_.end(),
                   [](const Zone::Reverse& a, const Zone::Reverse& b) { return a.address < b.address; });

  z.pool_.shrink_to_fit();
  z.addresses_.shrink_to_fit();
  z.ports_.shrink_to_fit();
  z.reverse_.shrink_to_fit();
  interned_.clear();
  pending_.clear();
  return std::shared_ptr<const Zone>(zone_.release());
}

}  // namespace minik::dns
