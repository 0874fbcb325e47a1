// The cluster zone and the answers built from it: every record form of the
// Kubernetes DNS specification, negative answers with the SOA, truncation,
// and the watch side's reading of Services and EndpointSlices.
#include <catch2/catch.hpp>

#include <arpa/inet.h>

#include <cstring>
#include <string>
#include <vector>

#include "dns/resolver.h"
#include "dns/wire.h"
#include "dns/zone.h"
#include "dns/zone_builder.h"

using namespace minik::dns;

namespace {

struct Record {
  std::string name;
  uint16_t type = 0;
  uint32_t ttl = 0;
  std::string data;
};

struct Answer {
  Resolution::Kind kind = Resolution::Answered;
  int rcode = -1;
  bool aa = false, tc = false;
  std::vector<Record> answer, authority, additional;
  std::vector<std::string> answerData() const {
    std::vector<std::string> out;
    for (const auto& r : answer) out.push_back(r.data);
    return out;
  }
};

std::string nameAt(const uint8_t* msg, size_t length, size_t* offset) {
  uint8_t wire[kMaxNameLength];
  size_t n = readName(msg, length, *offset, wire);
  REQUIRE(n > 0);
  *offset += n;
  std::string out;
  for (size_t i = 0; wire[i]; i += wire[i] + 1) {
    out.append(reinterpret_cast<const char*>(wire + i + 1), wire[i]);
    out += '.';
  }
  return out;
}

// Asks zone a question as a client would, and decodes the response.
Answer ask(const Zone& zone, const std::string& name, uint16_t type, size_t limit = 65535) {
  std::vector<uint8_t> p(12, 0);
  writeU16(p.data(), 7);
  writeU16(p.data() + 2, 0x0100);
  writeU16(p.data() + 4, 1);
  std::string rest = name;
  if (!rest.empty() && rest.back() == '.') rest.pop_back();
  while (!rest.empty()) {
    size_t dot = rest.find('.');
    std::string label = rest.substr(0, dot);
    p.push_back(uint8_t(label.size()));
    p.insert(p.end(), label.begin(), label.end());
    rest = dot == std::string::npos ? "" : rest.substr(dot + 1);
  }
  p.push_back(0);
  p.push_back(uint8_t(type >> 8));
  p.push_back(uint8_t(type));
  p.push_back(0);
  p.push_back(1);
  Query q;
  REQUIRE(parseQuery(p.data(), p.size(), &q) == ParseResult::Ok);
  std::vector<uint8_t> out(65535);
  MessageWriter w(out.data(), out.size());
  w.begin(q, p.data(), limit);
  Answer a;
  a.kind = resolve(zone, q, w).kind;
  size_t n = w.finish();
  const uint8_t* m = out.data();
  uint16_t flags = readU16(m + 2);
  a.rcode = flags & 0x0F;
  a.aa = flags & 0x0400;
  a.tc = flags & 0x0200;
  size_t at = p.size();
  std::vector<Record>* sections[3] = {&a.answer, &a.authority, &a.additional};
  for (int s = 0; s < 3; ++s) {
    for (int i = 0; i < readU16(m + 6 + 2 * s); ++i) {
      Record r;
      r.name = nameAt(m, n, &at);
      r.type = readU16(m + at);
      r.ttl = readU32(m + at + 4);
      size_t rdlength = readU16(m + at + 8);
      at += 10;
      size_t rd = at;
      char text[INET6_ADDRSTRLEN];
      switch (r.type) {
        case kTypeA:
        case kTypeAAAA:
          inet_ntop(r.type == kTypeA ? AF_INET : AF_INET6, m + at, text, sizeof text);
          r.data = text;
          break;
        case kTypeSRV: {
          size_t t = at + 6;
          r.data = std::to_string(readU16(m + at)) + " " + std::to_string(readU16(m + at + 2)) + " " +
                   std::to_string(readU16(m + at + 4)) + " " + nameAt(m, n, &t);
          break;
        }
        case kTypeCNAME:
        case kTypePTR:
        case kTypeNS: {
          size_t t = at;
          r.data = nameAt(m, n, &t);
          break;
        }
        case kTypeTXT:
          r.data = std::string(reinterpret_cast<const char*>(m + at + 1), m[at]);
          break;
        case kTypeSOA: {
          size_t t = at;
          r.data = nameAt(m, n, &t);
          r.data += " " + nameAt(m, n, &t);
          break;
        }
      }
      at = rd + rdlength;
      sections[s]->push_back(r);
    }
  }
  return a;
}

Address ip(const char* text) { return Address::parse(text); }

// dev: ent (ClusterIP, ports http/80 tcp and an unnamed 9000), db (headless,
// two ready endpoints, one with a hostname), empty (headless, none), ext
// (ExternalName), v6 (IPv6 ClusterIP); prod: ent; and namespace "quiet".
std::shared_ptr<const Zone> sampleZone(std::string_view origin = "cluster.local") {
  ZoneWriter w(origin, 42, 30);
  w.setDnsAddress(ip("10.43.0.10"));
  w.addNamespace("quiet");
  w.addService("dev", "ent", ServiceKind::ClusterIp);
  w.addClusterAddress(ip("10.43.1.1"));
  w.addServicePort("http", "tcp", 80);
  w.addServicePort("", "tcp", 9000);
  w.addService("prod", "ent", ServiceKind::ClusterIp);
  w.addClusterAddress(ip("10.43.2.1"));
  w.addServicePort("http", "tcp", 80);
  w.addService("dev", "db", ServiceKind::Headless);
  w.addServicePort("pg", "tcp", 5432);
  w.beginEndpointPorts();
  w.addEndpointPort("pg", "tcp", 15432);
  w.addEndpoint("db-0", ip("10.42.0.7"));
  w.addEndpoint("", ip("10.42.0.8"));
  w.addService("dev", "empty", ServiceKind::Headless);
  w.addService("dev", "ext", ServiceKind::ExternalName, "www.example.com");
  w.addService("dev", "v6", ServiceKind::ClusterIp);
  w.addClusterAddress(ip("fd00:43::5"));
  return w.finish();
}

}  // namespace

TEST_CASE("dns-version, the apex and ns.dns") {
  auto z = sampleZone();
  Answer a = ask(*z, "dns-version.cluster.local", kTypeTXT);
  CHECK(a.rcode == kNoError);
  CHECK(a.aa);
  CHECK(a.answerData() == std::vector<std::string>{"1.1.0"});
  CHECK(ask(*z, "cluster.local", kTypeSOA).answer.at(0).data == "ns.dns.cluster.local. hostmaster.cluster.local.");
  Answer ns = ask(*z, "cluster.local", kTypeNS);
  CHECK(ns.answerData() == std::vector<std::string>{"ns.dns.cluster.local."});
  CHECK(ns.additional.at(0).data == "10.43.0.10");
  CHECK(ask(*z, "ns.dns.cluster.local", kTypeA).answerData() == std::vector<std::string>{"10.43.0.10"});
}

TEST_CASE("a ClusterIP Service: A, SRV per named port with the A as additional, PTR") {
  auto z = sampleZone();
  Answer a = ask(*z, "ent.dev.svc.cluster.local", kTypeA);
  CHECK(a.rcode == kNoError);
  REQUIRE(a.answer.size() == 1);
  CHECK(a.answer[0].name == "ent.dev.svc.cluster.local.");
  CHECK(a.answer[0].ttl == 30);
  CHECK(a.answer[0].data == "10.43.1.1");
  CHECK(ask(*z, "ent.prod.svc.cluster.local", kTypeA).answerData() == std::vector<std::string>{"10.43.2.1"});

  Answer srv = ask(*z, "_http._tcp.ent.dev.svc.cluster.local", kTypeSRV);
  CHECK(srv.answerData() == std::vector<std::string>{"0 100 80 ent.dev.svc.cluster.local."});
  REQUIRE(srv.additional.size() == 1);
  CHECK(srv.additional[0].name == "ent.dev.svc.cluster.local.");
  CHECK(srv.additional[0].data == "10.43.1.1");

  Answer ptr = ask(*z, "1.1.43.10.in-addr.arpa", kTypePTR);
  CHECK(ptr.aa);
  CHECK(ptr.answerData() == std::vector<std::string>{"ent.dev.svc.cluster.local."});

  Answer v6 = ask(*z, "v6.dev.svc.cluster.local", kTypeAAAA);
  CHECK(v6.answerData() == std::vector<std::string>{"fd00:43::5"});
  Answer v6ptr = ask(*z, "5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.4.0.0.0.0.d.f.ip6.arpa", kTypePTR);
  CHECK(v6ptr.answerData() == std::vector<std::string>{"v6.dev.svc.cluster.local."});
}

TEST_CASE("negative answers: NXDOMAIN for missing names, NODATA for other types, both with the SOA") {
  auto z = sampleZone();
  auto negative = [&](const std::string& name, uint16_t type, int rcode) {
    Answer a = ask(*z, name, type);
    INFO(name);
    CHECK(a.rcode == rcode);
    CHECK(a.answer.empty());
    REQUIRE(a.authority.size() == 1);
    CHECK(a.authority[0].type == kTypeSOA);
    CHECK(a.authority[0].name == "cluster.local.");
  };
  negative("missing.dev.svc.cluster.local", kTypeA, kNxDomain);
  negative("ent.nowhere.svc.cluster.local", kTypeA, kNxDomain);
  negative("nowhere.svc.cluster.local", kTypeA, kNxDomain);
  negative("ent.dev.svc.cluster.local", kTypeAAAA, kNoError);
  negative("ent.dev.svc.cluster.local", kTypeTXT, kNoError);
  negative("dev.svc.cluster.local", kTypeA, kNoError);      // a namespace
  negative("quiet.svc.cluster.local", kTypeA, kNoError);    // a namespace without Services
  negative("svc.cluster.local", kTypeA, kNoError);
  negative("_https._tcp.ent.dev.svc.cluster.local", kTypeSRV, kNxDomain);
  negative("_http._tcp.ent.dev.svc.cluster.local", kTypeA, kNoError);
  negative("x.y.z.ent.dev.svc.cluster.local", kTypeA, kNxDomain);
  negative("whatever.cluster.local", kTypeA, kNxDomain);
  negative("empty.dev.svc.cluster.local", kTypeA, kNxDomain);  // headless, no ready endpoints
}

TEST_CASE("a headless Service: its ready endpoints, their hostnames, SRV to them, PTR") {
  auto z = sampleZone();
  // In hostname order: "10-42-0-8" (derived) before "db-0".
  CHECK(ask(*z, "db.dev.svc.cluster.local", kTypeA).answerData() ==
        std::vector<std::string>{"10.42.0.8", "10.42.0.7"});
  CHECK(ask(*z, "db-0.db.dev.svc.cluster.local", kTypeA).answerData() == std::vector<std::string>{"10.42.0.7"});
  // Without a hostname, the name is derived from the IP.
  CHECK(ask(*z, "10-42-0-8.db.dev.svc.cluster.local", kTypeA).answerData() ==
        std::vector<std::string>{"10.42.0.8"});
  CHECK(ask(*z, "db-1.db.dev.svc.cluster.local", kTypeA).rcode == kNxDomain);

  Answer srv = ask(*z, "_pg._tcp.db.dev.svc.cluster.local", kTypeSRV);
  CHECK(srv.answerData() == std::vector<std::string>{"0 50 15432 10-42-0-8.db.dev.svc.cluster.local.",
                                                     "0 50 15432 db-0.db.dev.svc.cluster.local."});
  REQUIRE(srv.additional.size() == 2);
  CHECK(srv.additional[1].name == "db-0.db.dev.svc.cluster.local.");
  CHECK(srv.additional[1].data == "10.42.0.7");

  CHECK(ask(*z, "7.0.42.10.in-addr.arpa", kTypePTR).answerData() ==
        std::vector<std::string>{"db-0.db.dev.svc.cluster.local."});
}

TEST_CASE("an ExternalName Service is a CNAME whose target the forwarder chases") {
  auto z = sampleZone();
  Answer a = ask(*z, "ext.dev.svc.cluster.local", kTypeA);
  CHECK(a.kind == Resolution::Chase);
  CHECK(a.answer.at(0).type == kTypeCNAME);
  CHECK(a.answer.at(0).data == "www.example.com.");
  Answer c = ask(*z, "ext.dev.svc.cluster.local", kTypeCNAME);
  CHECK(c.kind == Resolution::Answered);
  CHECK(c.answerData() == std::vector<std::string>{"www.example.com."});
}

TEST_CASE("pod names answer their dashed address in an existing namespace") {
  auto z = sampleZone();
  CHECK(ask(*z, "10-42-0-99.dev.pod.cluster.local", kTypeA).answerData() ==
        std::vector<std::string>{"10.42.0.99"});
  CHECK(ask(*z, "fd00--1.quiet.pod.cluster.local", kTypeAAAA).answerData() ==
        std::vector<std::string>{"fd00::1"});
  CHECK(ask(*z, "10-42-0-99.nowhere.pod.cluster.local", kTypeA).rcode == kNxDomain);
  CHECK(ask(*z, "not-an-ip.dev.pod.cluster.local", kTypeA).rcode == kNxDomain);
  Answer other = ask(*z, "10-42-0-99.dev.pod.cluster.local", kTypeAAAA);
  CHECK(other.rcode == kNoError);
  CHECK(other.answer.empty());
}

TEST_CASE("matching ignores case and the trailing dot; the domain is configurable") {
  auto z = sampleZone();
  Answer a = ask(*z, "ENT.Dev.SVC.Cluster.Local.", kTypeA);
  CHECK(a.answerData() == std::vector<std::string>{"10.43.1.1"});
  CHECK(a.answer[0].name == "ENT.Dev.SVC.Cluster.Local.");  // the asker's case

  auto other = sampleZone("edge.example");
  CHECK(ask(*other, "ent.dev.svc.edge.example", kTypeA).answerData() == std::vector<std::string>{"10.43.1.1"});
  CHECK(ask(*other, "ent.dev.svc.cluster.local", kTypeA).kind == Resolution::Forward);
}

TEST_CASE("names outside the zone and unknown reverse names go to the forwarder") {
  auto z = sampleZone();
  CHECK(ask(*z, "example.com", kTypeA).kind == Resolution::Forward);
  CHECK(ask(*z, "9.9.9.9.in-addr.arpa", kTypePTR).kind == Resolution::Forward);
  CHECK(ask(*z, "43.10.in-addr.arpa", kTypePTR).kind == Resolution::Forward);
  CHECK(ask(*z, "local", kTypeA).kind == Resolution::Forward);
}

TEST_CASE("many endpoints: answers beyond the limit are cut whole, with TC") {
  ZoneWriter w("cluster.local", 1, 30);
  w.addService("dev", "many", ServiceKind::Headless);
  for (int i = 0; i < 200; ++i) {
    w.addEndpoint("", ip(("10.42." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1)).c_str()));
  }
  auto z = w.finish();
  Answer udp = ask(*z, "many.dev.svc.cluster.local", kTypeA, 512);
  CHECK(udp.tc);
  CHECK(udp.answer.size() == (512 - 12 - 32) / 16);
  Answer tcp = ask(*z, "many.dev.svc.cluster.local", kTypeA);
  CHECK_FALSE(tcp.tc);
  CHECK(tcp.answer.size() == 200);
  CHECK(z->memoryBytes() < 64 * 1024);
}

namespace {
// The builder only needs a client to start informers; these tests feed it
// objects directly.
class NoClient : public minik::ClusterClient {
 public:
  minik::ClientResult get(const minik::KindInfo&, const std::string&, const std::string&) override { return {}; }
  minik::ClientList list(const minik::KindInfo&, const std::string&, const std::string&) override { return {}; }
  minik::ClientResult create(const minik::KindInfo&, const std::string&, nlohmann::json) override { return {}; }
  minik::ClientResult update(const minik::KindInfo&, const std::string&, const std::string&, nlohmann::json,
                             const std::string&) override {
    return {};
  }
  minik::ClientResult patch(const minik::KindInfo&, const std::string&, const std::string&, minik::PatchType,
                            const nlohmann::json&, const std::string&) override {
    return {};
  }
  minik::ClientResult remove(const minik::KindInfo&, const std::string&, const std::string&,
                             const minik::DeleteOptions&) override {
    return {};
  }
  std::unique_ptr<minik::ClientWatch> watch(const minik::KindInfo&, const std::string&, int64_t,
                                            std::function<void(const minik::ClientEvent&)>,
                                            std::function<void()>) override {
    return nullptr;
  }
};
}  // namespace

TEST_CASE("the builder reads Services and EndpointSlices as the API has them") {
  NoClient client;
  minik::ClusterConfig config;
  ZoneSlot slot;
  ZoneBuilder builder(uv_default_loop(), client, config, slot);
  builder.upsertService(nlohmann::json::parse(R"({"metadata":{"namespace":"dev","name":"web"},
    "spec":{"clusterIP":"None","ports":[{"name":"http","protocol":"TCP","port":80}]}})"));
  builder.upsertService(nlohmann::json::parse(R"({"metadata":{"namespace":"dev","name":"eager"},
    "spec":{"clusterIP":"None","publishNotReadyAddresses":true}})"));
  builder.upsertService(nlohmann::json::parse(R"({"metadata":{"namespace":"dev","name":"dual"},
    "spec":{"clusterIP":"10.43.9.9","clusterIPs":["10.43.9.9","fd00::9"]}})"));
  builder.upsertSlice(nlohmann::json::parse(R"({"metadata":{"namespace":"dev","name":"web-abc",
    "labels":{"kubernetes.io/service-name":"web"}},"addressType":"IPv4",
    "ports":[{"name":"http","protocol":"TCP","port":8080}],
    "endpoints":[{"addresses":["10.42.0.1"],"conditions":{"ready":true},"hostname":"web-0"},
                 {"addresses":["10.42.0.2"],"conditions":{"ready":false}},
                 {"addresses":["10.42.0.3"]}]})"));
  builder.upsertSlice(nlohmann::json::parse(R"({"metadata":{"namespace":"dev","name":"eager-1",
    "labels":{"kubernetes.io/service-name":"eager"}},"addressType":"IPv4",
    "endpoints":[{"addresses":["10.42.1.1"],"conditions":{"ready":false}}]})"));
  builder.upsertSlice(nlohmann::json::parse(R"({"metadata":{"namespace":"dev","name":"stray"},
    "addressType":"IPv4","endpoints":[{"addresses":["10.42.2.2"]}]})"));
  builder.publish();
  auto z = slot.current();
  REQUIRE(z);
  CHECK(slot.generation() == 1);
  CHECK(ask(*z, "web.dev.svc.cluster.local", kTypeA).answerData() ==
        std::vector<std::string>{"10.42.0.3", "10.42.0.1"});
  CHECK(ask(*z, "_http._tcp.web.dev.svc.cluster.local", kTypeSRV).answerData() ==
        std::vector<std::string>{"0 50 8080 10-42-0-3.web.dev.svc.cluster.local.",
                                 "0 50 8080 web-0.web.dev.svc.cluster.local."});
  CHECK(ask(*z, "eager.dev.svc.cluster.local", kTypeA).answerData() == std::vector<std::string>{"10.42.1.1"});
  CHECK(ask(*z, "dual.dev.svc.cluster.local", kTypeAAAA).answerData() == std::vector<std::string>{"fd00::9"});
  CHECK(ask(*z, "dual.dev.svc.cluster.local", kTypeA).answerData() == std::vector<std::string>{"10.43.9.9"});

  builder.removeSlice(nlohmann::json::parse(R"({"metadata":{"namespace":"dev","name":"web-abc"}})"));
  builder.publish();
  CHECK(ask(*slot.current(), "web.dev.svc.cluster.local", kTypeA).rcode == kNxDomain);
}
