#include "dns/resolver.h"

#include <cstring>
#include <string_view>

namespace minik::dns {

namespace {

constexpr std::string_view kSchemaVersion = "1.1.0";
const uint8_t kInAddrArpa[] = "\7in-addr\4arpa";  // + root: sizeof includes the NUL
const uint8_t kIp6Arpa[] = "\3ip6\4arpa";

// A wire name assembled from labels and a wire suffix, on the stack.
struct NameBuffer {
  uint8_t bytes[kMaxNameLength + 1];
  size_t length = 0;
  bool ok = true;
  NameBuffer& label(std::string_view l) {
    if (l.empty() || l.size() > 63 || length + l.size() + 1 >= kMaxNameLength) {
      ok = false;
      return *this;
    }
    bytes[length++] = uint8_t(l.size());
    std::memcpy(bytes + length, l.data(), l.size());
    length += l.size();
    return *this;
  }
  NameBuffer& suffix(const uint8_t* wire, size_t n) {
    if (length + n > kMaxNameLength) {
      ok = false;
      return *this;
    }
    std::memcpy(bytes + length, wire, n);
    length += n;
    return *this;
  }
};

bool familyMatches(uint16_t qtype, const Address& a) {
  return qtype == kTypeANY || (qtype == kTypeA && a.length == 4) || (qtype == kTypeAAAA && a.length == 16);
}

// Number of labels before suffix (wire, with root) in the question, or -1
// when the question is not under it.
int labelsBefore(const Query& q, const uint8_t* suffix, size_t n) {
  if (q.nameLength < n || std::memcmp(q.name + q.nameLength - n, suffix, n) != 0) return -1;
  size_t boundary = q.nameLength - n;
  if (boundary == 0) return 0;
  for (int i = 0; i < q.labelCount; ++i) {
    if (q.labelOffsets[i] == boundary) return i;
  }
  return -1;
}

class Answerer {
 public:
  Answerer(const Zone& zone, const Query& query, MessageWriter& w)
      : z_(zone), q_(query), w_(w), ttl_(zone.ttl()) {}

  Resolution inZone(int k);
  Resolution reverse(const Address& address);

 private:
  std::string_view label(int i) const { return q_.label(size_t(i)); }
  bool wants(uint16_t type) const { return q_.type == type || q_.type == kTypeANY; }

  void nxdomain() { negative(kNxDomain); }
  void nodata() { negative(kNoError); }
  void negative(uint16_t rcode) {
    w_.setRcode(rcode);
    soa(MessageWriter::kAuthority);
  }
  bool soa(MessageWriter::Section section);
  bool answer(bool written) {
    if (!written) w_.setTruncated();
    return written;
  }
  bool addressAtQuestion(const Address& a) {
    w_.beginRecordAtQuestion(MessageWriter::kAnswer, a.length == 4 ? kTypeA : kTypeAAAA, ttl_);
    w_.putBytes(a.bytes, a.length);
    return answer(w_.endRecord());
  }
  bool additionalAddress(const uint8_t* owner, const Address& a) {
    w_.beginRecord(MessageWriter::kAdditional, owner, a.length == 4 ? kTypeA : kTypeAAAA, ttl_);
    w_.putBytes(a.bytes, a.length);
    return w_.endRecord();
  }
  bool srv(uint16_t weight, uint16_t port, const uint8_t* target) {
    w_.beginRecordAtQuestion(MessageWriter::kAnswer, kTypeSRV, ttl_);
    w_.putU16(0);  // priority
    w_.putU16(weight);
    w_.putU16(port);
    w_.putName(target);
    return answer(w_.endRecord());
  }
  NameBuffer serviceName(const Zone::Service& s) const {
    NameBuffer n;
    n.label(z_.text(s.name)).label(z_.text(z_.namespaces()[s.ns].name)).label("svc");
    n.suffix(z_.origin(), z_.originLength());
    return n;
  }
  NameBuffer endpointName(const Zone::Service& s, const Zone::Endpoint& e) const {
    NameBuffer n;
    n.label(z_.text(e.hostname));
    n.label(z_.text(s.name)).label(z_.text(z_.namespaces()[s.ns].name)).label("svc");
    n.suffix(z_.origin(), z_.originLength());
    return n;
  }

  Resolution apex();
  Resolution service(const Zone::Service& s);
  Resolution serviceSrv(const Zone::Service& s, std::string_view port, std::string_view proto);
  Resolution endpoint(const Zone::Service& s, std::string_view hostname);
  Resolution pod(std::string_view dashed);

  const Zone& z_;
  const Query& q_;
  MessageWriter& w_;
  uint32_t ttl_;
};

bool Answerer::soa(MessageWriter::Section section) {
  NameBuffer mname, rname;
  mname.label("ns").label("dns").suffix(z_.origin(), z_.originLength());
  rname.label("hostmaster").suffix(z_.origin(), z_.originLength());
  w_.beginRecord(section, z_.origin(), kTypeSOA, ttl_);
  w_.putName(mname.bytes);
  w_.putName(rname.bytes);
  w_.putU32(z_.serial());
  w_.putU32(7200);   // refresh
  w_.putU32(1800);   // retry
  w_.putU32(86400);  // expire
  w_.putU32(ttl_);   // minimum: how long resolvers cache our negative answers
  return w_.endRecord();
}

Resolution Answerer::apex() {
  bool any = false;
  if (wants(kTypeSOA)) any |= answer(soa(MessageWriter::kAnswer));
  if (wants(kTypeNS)) {
    NameBuffer ns;
    ns.label("ns").label("dns").suffix(z_.origin(), z_.originLength());
    w_.beginRecordAtQuestion(MessageWriter::kAnswer, kTypeNS, ttl_);
    w_.putName(ns.bytes);
    any |= answer(w_.endRecord());
    if (z_.dnsAddress().valid()) additionalAddress(ns.bytes, z_.dnsAddress());
  }
  if (!any) nodata();
  return {};
}

Resolution Answerer::inZone(int k) {
  w_.setAuthoritative(true);
  if (k == 0) return apex();
  std::string_view top = label(k - 1);
  if (k == 1) {
    if (top == "dns-version") {
      if (wants(kTypeTXT)) {
        w_.beginRecordAtQuestion(MessageWriter::kAnswer, kTypeTXT, ttl_);
        w_.putCharacterString(kSchemaVersion);
        answer(w_.endRecord());
      } else {
        nodata();
      }
    } else if (top == "svc" || top == "pod" || top == "dns") {
      nodata();  // empty non-terminals
    } else {
      nxdomain();
    }
    return {};
  }
  if (top == "dns") {
    if (k == 2 && label(0) == "ns") {
      const Address& a = z_.dnsAddress();
      if (a.valid() && familyMatches(q_.type, a)) {
        addressAtQuestion(a);
      } else {
        nodata();
      }
    } else {
      nxdomain();
    }
    return {};
  }
  if (top != "svc" && top != "pod") {
    nxdomain();
    return {};
  }
  const Zone::Namespace* ns = z_.findNamespace(label(k - 2));
  if (!ns) {
    nxdomain();
    return {};
  }
  if (k == 2) {
    nodata();
    return {};
  }
  if (top == "pod") {
    if (k == 3) return pod(label(0));
    nxdomain();
    return {};
  }
  const Zone::Service* s = z_.findService(*ns, label(k - 3));
  if (!s || k > 5) {
    nxdomain();
    return {};
  }
  if (k == 3) return service(*s);
  if (k == 4) {
    std::string_view first = label(0);
    if (!first.empty() && first[0] == '_') {
      // _<proto>.<svc>...: exists when a port of that protocol has a name.
      bool exists = false;
      for (uint32_t i = 0; i < s->portCount && !exists; ++i) {
        const Zone::Port& p = z_.ports()[s->firstPort + i];
        exists = p.name.length > 0 && z_.text(p.protocol) == first.substr(1);
      }
      exists ? nodata() : nxdomain();
      return {};
    }
    return endpoint(*s, first);
  }
  std::string_view port = label(0), proto = label(1);
  if (port.size() < 2 || proto.size() < 2 || port[0] != '_' || proto[0] != '_') {
    nxdomain();
    return {};
  }
  return serviceSrv(*s, port.substr(1), proto.substr(1));
}

Resolution Answerer::service(const Zone::Service& s) {
  if (s.kind == ServiceKind::ExternalName) {
    if (s.externalName.length == 0) {
      nodata();
      return {};
    }
    const uint8_t* target = reinterpret_cast<const uint8_t*>(z_.text(s.externalName).data());
    w_.beginRecordAtQuestion(MessageWriter::kAnswer, kTypeCNAME, ttl_);
    w_.putName(target);
    answer(w_.endRecord());
    if (q_.type == kTypeCNAME) return {};
    return {Resolution::Chase, target};
  }
  bool any = false;
  if (s.kind == ServiceKind::ClusterIp) {
    for (uint32_t i = 0; i < s.addressCount; ++i) {
      const Address& a = z_.addresses()[s.firstAddress + i];
      if (w_.truncated()) break;
      if (familyMatches(q_.type, a)) any |= addressAtQuestion(a);
    }
    if (wants(kTypeSRV) && s.portCount > 0 && !w_.truncated()) {
      // One SRV per port number: 53/udp and 53/tcp would be the same record.
      auto repeated = [&](uint32_t i) {
        for (uint32_t j = 0; j < i; ++j) {
          if (z_.ports()[s.firstPort + j].number == z_.ports()[s.firstPort + i].number) return true;
        }
        return false;
      };
      uint32_t distinct = 0;
      for (uint32_t i = 0; i < s.portCount; ++i) distinct += !repeated(i);
      NameBuffer target = serviceName(s);
      uint16_t weight = uint16_t(100 / distinct);
      for (uint32_t i = 0; i < s.portCount && !w_.truncated(); ++i) {
        if (!repeated(i)) any |= srv(weight ? weight : 1, z_.ports()[s.firstPort + i].number, target.bytes);
      }
      for (uint32_t i = 0; i < s.addressCount && !w_.truncated(); ++i) {
        if (!additionalAddress(target.bytes, z_.addresses()[s.firstAddress + i])) break;
      }
    }
  } else {  // headless: the ready endpoints, or nothing at all
    if (s.endpointCount == 0) {
      nxdomain();
      return {};
    }
    for (uint32_t i = 0; i < s.endpointCount && !w_.truncated(); ++i) {
      const Address& a = z_.endpoints()[s.firstEndpoint + i].address;
      if (familyMatches(q_.type, a)) any |= addressAtQuestion(a);
    }
    if (wants(kTypeSRV) && !w_.truncated()) {
      for (uint32_t i = 0; i < s.endpointCount && !w_.truncated(); ++i) {
        const Zone::Endpoint& e = z_.endpoints()[s.firstEndpoint + i];
        NameBuffer target = endpointName(s, e);
        uint32_t first = e.portCount ? e.firstPort : s.firstPort;
        uint32_t count = e.portCount ? e.portCount : s.portCount;
        uint32_t records = s.endpointCount * (count ? count : 1);
        uint16_t weight = uint16_t(records < 100 ? 100 / records : 1);
        for (uint32_t p = 0; p < count && !w_.truncated() && target.ok; ++p) {
          any |= srv(weight, z_.ports()[first + p].number, target.bytes);
        }
      }
    }
  }
  if (!any && !w_.truncated()) nodata();
  return {};
}

Resolution Answerer::serviceSrv(const Zone::Service& s, std::string_view port, std::string_view proto) {
  auto matches = [&](const Zone::Port& p) {
    return p.name.length > 0 && z_.text(p.name) == port && z_.text(p.protocol) == proto;
  };
  if (s.kind == ServiceKind::ClusterIp) {
    uint32_t count = 0;
    for (uint32_t i = 0; i < s.portCount; ++i) count += matches(z_.ports()[s.firstPort + i]);
    if (count == 0) {
      nxdomain();
      return {};
    }
    if (!wants(kTypeSRV)) {
      nodata();
      return {};
    }
    NameBuffer target = serviceName(s);
    for (uint32_t i = 0; i < s.portCount && !w_.truncated(); ++i) {
      const Zone::Port& p = z_.ports()[s.firstPort + i];
      if (matches(p)) srv(uint16_t(100 / count ? 100 / count : 1), p.number, target.bytes);
    }
    for (uint32_t i = 0; i < s.addressCount && !w_.truncated(); ++i) {
      if (!additionalAddress(target.bytes, z_.addresses()[s.firstAddress + i])) break;
    }
    return {};
  }
  if (s.kind != ServiceKind::Headless) {
    nxdomain();
    return {};
  }
  // Headless: every ready endpoint with a port of that name, at the
  // endpoint's own port (its EndpointSlice's, falling back to the Service's).
  auto portsOf = [&](const Zone::Endpoint& e, uint32_t* first, uint32_t* count) {
    *first = e.portCount ? e.firstPort : s.firstPort;
    *count = e.portCount ? e.portCount : s.portCount;
  };
  uint32_t total = 0;
  for (uint32_t i = 0; i < s.endpointCount; ++i) {
    uint32_t first, count;
    portsOf(z_.endpoints()[s.firstEndpoint + i], &first, &count);
    for (uint32_t p = 0; p < count; ++p) total += matches(z_.ports()[first + p]);
  }
  if (total == 0) {
    nxdomain();
    return {};
  }
  if (!wants(kTypeSRV)) {
    nodata();
    return {};
  }
  uint16_t weight = uint16_t(100 / total ? 100 / total : 1);
  for (uint32_t i = 0; i < s.endpointCount && !w_.truncated(); ++i) {
    const Zone::Endpoint& e = z_.endpoints()[s.firstEndpoint + i];
    NameBuffer target = endpointName(s, e);
    if (!target.ok) continue;
    uint32_t first, count;
    portsOf(e, &first, &count);
    for (uint32_t p = 0; p < count && !w_.truncated(); ++p) {
      if (matches(z_.ports()[first + p])) srv(weight, z_.ports()[first + p].number, target.bytes);
    }
  }
  bool room = !w_.truncated();
  for (uint32_t i = 0; i < s.endpointCount && room; ++i) {
    const Zone::Endpoint& e = z_.endpoints()[s.firstEndpoint + i];
    NameBuffer target = endpointName(s, e);
    if (target.ok) room = additionalAddress(target.bytes, e.address);
  }
  return {};
}

Resolution Answerer::endpoint(const Zone::Service& s, std::string_view hostname) {
  auto range = z_.findEndpoints(s, hostname);
  if (range.first == range.second) {
    nxdomain();
    return {};
  }
  bool any = false;
  for (auto e = range.first; e != range.second && !w_.truncated(); ++e) {
    if (familyMatches(q_.type, e->address)) any |= addressAtQuestion(e->address);
  }
  if (!any && !w_.truncated()) nodata();
  return {};
}

Resolution Answerer::pod(std::string_view dashed) {
  // CoreDNS `pods insecure`: the name is the address; three dashes and no
  // double dash make IPv4, anything else is tried as IPv6.
  char text[64];
  if (dashed.size() >= sizeof text) {
    nxdomain();
    return {};
  }
  size_t dashes = 0;
  for (char c : dashed) dashes += c == '-';
  bool v4 = dashes == 3 && dashed.find("--") == std::string_view::npos;
  for (size_t i = 0; i < dashed.size(); ++i) text[i] = dashed[i] == '-' ? (v4 ? '.' : ':') : dashed[i];
  Address a = Address::parse(std::string_view(text, dashed.size()));
  if (!a.valid()) {
    nxdomain();
    return {};
  }
  if (familyMatches(q_.type, a)) {
    addressAtQuestion(a);
  } else {
    nodata();
  }
  return {};
}

Resolution Answerer::reverse(const Address& address) {
  auto range = z_.findReverse(address);
  if (range.first == range.second) return {Resolution::Forward, nullptr};
  w_.setAuthoritative(true);
  if (!wants(kTypePTR)) {
    // The owner of a reverse name is not ours to describe beyond its PTR.
    w_.setRcode(kNoError);
    return {};
  }
  for (auto r = range.first; r != range.second && !w_.truncated(); ++r) {
    const Zone::Service& s = z_.services()[r->service];
    NameBuffer target =
        r->endpoint == Zone::kNoEndpoint ? serviceName(s) : endpointName(s, z_.endpoints()[r->endpoint]);
    if (!target.ok) continue;
    w_.beginRecordAtQuestion(MessageWriter::kAnswer, kTypePTR, ttl_);
    w_.putName(target.bytes);
    answer(w_.endRecord());
  }
  return {};
}

int decimalOctet(std::string_view s) {
  if (s.empty() || s.size() > 3) return -1;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v <= 255 ? v : -1;
}

int hexNibble(std::string_view s) {
  if (s.size() != 1) return -1;
  char c = s[0];
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The address a full reverse name stands for; invalid for partial names.
Address reverseAddress(const Query& q) {
  Address a;
  int k = labelsBefore(q, kInAddrArpa, sizeof kInAddrArpa);
  if (k == 4) {
    for (int i = 0; i < 4; ++i) {
      int v = decimalOctet(q.label(size_t(i)));
      if (v < 0) return Address{};
      a.bytes[3 - i] = uint8_t(v);
    }
    a.length = 4;
    return a;
  }
  k = labelsBefore(q, kIp6Arpa, sizeof kIp6Arpa);
  if (k == 32) {
    for (int i = 0; i < 32; ++i) {
      int v = hexNibble(q.label(size_t(i)));
      if (v < 0) return Address{};
      int nibble = 31 - i;
      a.bytes[nibble / 2] = uint8_t(a.bytes[nibble / 2] | (nibble % 2 ? v : v << 4));
    }
    a.length = 16;
  }
  return a;
}

}  // namespace

bool inZone(const Zone& zone, const uint8_t* name) {
  size_t length = 0;
  while (name[length] != 0 && length < kMaxNameLength) length += size_t(name[length]) + 1;
  ++length;
  for (size_t at = 0; at < length; at += size_t(name[at]) + 1) {
    if (length - at == zone.originLength()) return std::memcmp(name + at, zone.origin(), length - at) == 0;
    if (name[at] == 0) break;
  }
  return false;
}

Resolution resolve(const Zone& zone, const Query& query, MessageWriter& response) {
  int k = labelsBefore(query, zone.origin(), zone.originLength());
  Answerer answerer(zone, query, response);
  if (k >= 0) return answerer.inZone(k);
  Address reversed = reverseAddress(query);
  if (reversed.valid()) return answerer.reverse(reversed);
  return {Resolution::Forward, nullptr};
}

}  // namespace minik::dns
