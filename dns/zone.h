// dns/zone.h — the cluster zone as an immutable, compact index: Services by
// (namespace, name) with their ClusterIPs, ports and ready endpoints, the
// namespaces that exist, and a reverse index from IP to owner.
//
// Contract:
//  - A Zone never changes after ZoneWriter::finish(); readers on any thread
//    share it through shared_ptr<const Zone> (see ZoneSlot) without locks.
//  - Every name it stores is lowercased, so lookups compare bytes of a
//    lowercased question.
//  - Lookups allocate nothing. Memory is a few flat vectors and one string
//    pool: about 90 bytes per endpoint (reverse entry and derived name
//    included) and 100 per Service: 0.85 MiB for 1,000 Services with 10,000
//    endpoints.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace minik::dns {

// An IPv4 (length 4) or IPv6 (length 16) address in network order.
struct Address {
  uint8_t length = 0;
  uint8_t bytes[16] = {};
  bool valid() const { return length == 4 || length == 16; }
  // From "10.43.0.1" or "fd00::1"; invalid when it is neither.
  static Address parse(std::string_view text);
  // "10-43-0-1", "fd00--1": the endpoint hostname CoreDNS derives from an IP.
  std::string dashed() const;
};
bool operator<(const Address& a, const Address& b);
bool operator==(const Address& a, const Address& b);

enum class ServiceKind : uint8_t { ClusterIp, Headless, ExternalName };

class Zone {
 public:
  struct Text {
    uint32_t offset = 0;
    uint32_t length = 0;
  };
  struct Port {
    Text name;      // "" for an unnamed port (no SRV record of its own)
    Text protocol;  // "tcp", "udp", "sctp"
    uint16_t number = 0;
  };
  struct Endpoint {
    Text hostname;  // the endpoint's hostname, else derived from its IP
    Address address;
    uint32_t firstPort = 0;  // ports of its EndpointSlice, in ports()
    uint32_t portCount = 0;
  };
  struct Service {
    Text name;
    uint32_t ns = 0;  // index in namespaces()
    ServiceKind kind = ServiceKind::ClusterIp;
    uint32_t firstAddress = 0, addressCount = 0;    // ClusterIPs, in addresses()
    uint32_t firstPort = 0, portCount = 0;          // Service ports, in ports()
    uint32_t firstEndpoint = 0, endpointCount = 0;  // ready endpoints, sorted by hostname
    Text externalName;                              // wire form, for ExternalName
  };
  struct Namespace {
    Text name;
    uint32_t firstService = 0, serviceCount = 0;  // sorted by name
  };
  struct Reverse {
    Address address;
    uint32_t service = 0;
    uint32_t endpoint = kNoEndpoint;  // kNoEndpoint: the Service's ClusterIP
  };
  static constexpr uint32_t kNoEndpoint = 0xFFFFFFFF;

  // The zone apex in wire form ("\7cluster\5local\0").
  const uint8_t* origin() const { return reinterpret_cast<const uint8_t*>(origin_.data()); }
  size_t originLength() const { return origin_.size(); }
  uint32_t serial() const { return serial_; }
  uint32_t ttl() const { return ttl_; }
  // The kube-dns ClusterIP (answers ns.dns.<zone>); may be invalid.
  const Address& dnsAddress() const { return dnsAddress_; }

  const Namespace* findNamespace(std::string_view name) const;
  const Service* findService(const Namespace& ns, std::string_view name) const;
  // The endpoints of service named hostname: [first, last).
  std::pair<const Endpoint*, const Endpoint*> findEndpoints(const Service& service,
                                                            std::string_view hostname) const;
  std::pair<const Reverse*, const Reverse*> findReverse(const Address& address) const;

  std::string_view text(Text t) const { return std::string_view(pool_).substr(t.offset, t.length); }
  const std::vector<Namespace>& namespaces() const { return namespaces_; }
  const std::vector<Service>& services() const { return services_; }
  const std::vector<Address>& addresses() const { return addresses_; }
  const std::vector<Port>& ports() const { return ports_; }
  const std::vector<Endpoint>& endpoints() const { return endpoints_; }
  // Bytes held, for the memory benchmark.
  size_t memoryBytes() const;

 private:
  friend class ZoneWriter;
  std::string origin_;
  uint32_t serial_ = 1;
  uint32_t ttl_ = 30;
  Address dnsAddress_;
  std::string pool_;
  std::vector<Namespace> namespaces_;
  std::vector<Service> services_;
  std::vector<Address> addresses_;
  std::vector<Port> ports_;
  std::vector<Endpoint> endpoints_;
  std::vector<Reverse> reverse_;
};

// Assembles a Zone. Services, namespaces and endpoints may come in any order;
// finish() sorts, removes duplicates and builds the reverse index.
class ZoneWriter {
 public:
  // origin: "cluster.local"; serial: the SOA serial; ttl: of every record.
  ZoneWriter(std::string_view origin, uint32_t serial, uint32_t ttl);
  void setDnsAddress(const Address& address);
  void addNamespace(std::string_view name);
  // Starts a Service; the calls below until the next addService belong to it.
  // externalName is dotted ("www.example.com"), for ExternalName only.
  void addService(std::string_view ns, std::string_view name, ServiceKind kind,
                  std::string_view externalName = {});
  void addClusterAddress(const Address& address);
  void addServicePort(std::string_view name, std::string_view protocol, uint16_t number);
  // A port set shared by the endpoints added after it (one EndpointSlice's).
  void beginEndpointPorts();
  void addEndpointPort(std::string_view name, std::string_view protocol, uint16_t number);
  // hostname empty: derived from the address.
  void addEndpoint(std::string_view hostname, const Address& address);
  std::shared_ptr<const Zone> finish();

 private:
  struct PendingService {
    Zone::Service service;
    Zone::Text ns;
  };
  Zone::Text intern(std::string_view text);  // lowercased, shared when repeated
  Zone::Port makePort(std::string_view name, std::string_view protocol, uint16_t number);

  std::unique_ptr<Zone> zone_;
  std::unordered_map<std::string, Zone::Text> interned_;
  std::vector<PendingService> pending_;
  std::vector<Zone::Text> namespaceNames_;
  uint32_t endpointPortsFirst_ = 0, endpointPortsCount_ = 0;
};

// The current zone, swapped atomically by the watch side and read by the
// serving thread. Readers keep their copy and re-read only when generation()
// moved, so the per-query cost is one atomic load.
class ZoneSlot {
 public:
  void publish(std::shared_ptr<const Zone> zone) {
    std::lock_guard<std::mutex> lock(mutex_);
    zone_ = std::move(zone);
    generation_.fetch_add(1, std::memory_order_release);
  }
  std::shared_ptr<const Zone> current() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return zone_;
  }
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Zone> zone_;
  std::atomic<uint64_t> generation_{0};
};

}  // namespace minik::dns
