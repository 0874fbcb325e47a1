// The DNS message codec: query parsing and its rcodes, response writing with
// compression, truncation and EDNS, and the whole-message operations the
// forwarder uses.
#include <catch2/catch.hpp>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "dns/wire.h"

using namespace minik::dns;

namespace {

// A query packet: header, one question, optional OPT record.
std::vector<uint8_t> makeQuery(const std::string& name, uint16_t type, uint16_t flags = 0x0100,
                               int ednsSize = -1, uint8_t ednsVersion = 0, bool dnssecOk = false) {
  std::vector<uint8_t> p(12, 0);
  writeU16(p.data(), 0x1234);
  writeU16(p.data() + 2, flags);
  writeU16(p.data() + 4, 1);
  writeU16(p.data() + 10, ednsSize >= 0 ? 1 : 0);
  // Keep the case as given: toWireName lowercases.
  std::string rest = name;
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
  if (ednsSize >= 0) {
    uint8_t opt[11] = {0, 0, 41, uint8_t(ednsSize >> 8), uint8_t(ednsSize), 0, ednsVersion,
                       uint8_t(dnssecOk ? 0x80 : 0), 0, 0, 0};
    p.insert(p.end(), opt, opt + 11);
  }
  return p;
}

std::string nameAt(const uint8_t* msg, size_t length, size_t offset) {
  uint8_t wire[kMaxNameLength];
  REQUIRE(readName(msg, length, offset, wire) > 0);
  std::string out;
  for (size_t i = 0; wire[i]; i += wire[i] + 1) {
    out.append(reinterpret_cast<const char*>(wire + i + 1), wire[i]);
    out += '.';
  }
  return out;
}

}  // namespace

TEST_CASE("a query parses into a lowercased question with its labels") {
  auto p = makeQuery("Ent.Dev.svc.cluster.local", kTypeA);
  Query q;
  REQUIRE(parseQuery(p.data(), p.size(), &q) == ParseResult::Ok);
  CHECK(q.id == 0x1234);
  CHECK(q.recursionDesired);
  CHECK(q.type == kTypeA);
  CHECK(q.klass == kClassIN);
  CHECK(q.labelCount == 5);
  CHECK(q.label(0) == "ent");
  CHECK(q.label(1) == "dev");
  CHECK(q.label(4) == "local");
  CHECK(q.questionEnd == p.size());
  CHECK_FALSE(q.edns);
  CHECK(q.udpLimit() == 512);
}

TEST_CASE("EDNS: the OPT record gives the payload size, capped at what we serve, and DO") {
  Query q;
  auto big = makeQuery("a.b", kTypeA, 0x0100, 4096, 0, true);
  REQUIRE(parseQuery(big.data(), big.size(), &q) == ParseResult::Ok);
  CHECK(q.edns);
  CHECK(q.dnssecOk);
  CHECK(q.udpSize == 4096);
  CHECK(q.udpLimit() == kServerUdpSize);
  auto small = makeQuery("a.b", kTypeA, 0x0100, 100);
  REQUIRE(parseQuery(small.data(), small.size(), &q) == ParseResult::Ok);
  CHECK(q.udpLimit() == 512);  // below 512 means 512 (RFC 6891 6.2.5)
  auto mid = makeQuery("a.b", kTypeA, 0x0100, 900);
  REQUIRE(parseQuery(mid.data(), mid.size(), &q) == ParseResult::Ok);
  CHECK(q.udpLimit() == 900);
  auto v1 = makeQuery("a.b", kTypeA, 0x0100, 1232, 1);
  CHECK(parseQuery(v1.data(), v1.size(), &q) == ParseResult::BadVersion);
}

TEST_CASE("malformed queries: dropped without a header, FORMERR or NOTIMP with one") {
  Query q;
  uint8_t tiny[5] = {1, 2, 3, 4, 5};
  CHECK(parseQuery(tiny, sizeof tiny, &q) == ParseResult::Drop);

  auto response = makeQuery("a.b", kTypeA, 0x8100);
  CHECK(parseQuery(response.data(), response.size(), &q) == ParseResult::Drop);

  auto notify = makeQuery("a.b", kTypeSOA, 4 << 11);
  CHECK(parseQuery(notify.data(), notify.size(), &q) == ParseResult::NotImp);

  auto two = makeQuery("a.b", kTypeA);
  writeU16(two.data() + 4, 2);
  CHECK(parseQuery(two.data(), two.size(), &q) == ParseResult::FormErr);

  auto none = makeQuery("a.b", kTypeA);
  writeU16(none.data() + 4, 0);
  CHECK(parseQuery(none.data(), none.size(), &q) == ParseResult::FormErr);

  auto cut = makeQuery("a.b", kTypeA);
  cut.resize(cut.size() - 3);
  CHECK(parseQuery(cut.data(), cut.size(), &q) == ParseResult::FormErr);

  auto pointer = makeQuery("a.b", kTypeA);
  pointer[12] = 0xC0;
  pointer[13] = 12;
  CHECK(parseQuery(pointer.data(), pointer.size(), &q) == ParseResult::FormErr);

  auto twoOpts = makeQuery("a.b", kTypeA, 0x0100, 1232);
  uint8_t opt[11] = {0, 0, 41, 4, 0xD0, 0, 0, 0, 0, 0, 0};
  twoOpts.insert(twoOpts.end(), opt, opt + 11);
  writeU16(twoOpts.data() + 10, 2);
  CHECK(parseQuery(twoOpts.data(), twoOpts.size(), &q) == ParseResult::FormErr);

  auto missingRecord = makeQuery("a.b", kTypeA);
  writeU16(missingRecord.data() + 10, 1);  // ARCOUNT 1, nothing there
  CHECK(parseQuery(missingRecord.data(), missingRecord.size(), &q) == ParseResult::FormErr);
}

TEST_CASE("random bytes never read outside the packet") {
  std::mt19937 rng(7);
  Query q;
  for (int i = 0; i < 20000; ++i) {
    std::vector<uint8_t> p(rng() % 64);
    for (auto& b : p) b = uint8_t(rng());
    if (p.size() > 5) p[4] = 0, p[5] = 1;  // mostly one question
    if (p.size() > 2) p[2] &= 0x07;
    ParseResult r = parseQuery(p.data(), p.size(), &q);
    if (r == ParseResult::Ok) CHECK(q.questionEnd <= p.size());
  }
}

TEST_CASE("responses echo the question as asked and compress owner and target names") {
  auto p = makeQuery("_HTTP._tcp.web.dev.svc.cluster.local", kTypeSRV);
  Query q;
  REQUIRE(parseQuery(p.data(), p.size(), &q) == ParseResult::Ok);
  uint8_t out[512];
  MessageWriter w(out, sizeof out);
  w.begin(q, p.data(), 512);
  w.setAuthoritative(true);
  uint8_t target[kMaxNameLength];
  REQUIRE(toWireName("web.dev.svc.cluster.local.", target, sizeof target) > 0);
  w.beginRecordAtQuestion(MessageWriter::kAnswer, kTypeSRV, 30);
  w.putU16(0);
  w.putU16(100);
  w.putU16(80);
  w.putName(target);
  REQUIRE(w.endRecord());
  uint8_t ip[4] = {10, 43, 0, 5};
  w.beginRecord(MessageWriter::kAdditional, target, kTypeA, 30);
  w.putBytes(ip, 4);
  REQUIRE(w.endRecord());
  size_t n = w.finish();

  CHECK(readU16(out) == 0x1234);
  CHECK((readU16(out + 2) & 0x8000) != 0);  // QR
  CHECK((readU16(out + 2) & 0x0400) != 0);  // AA
  CHECK((readU16(out + 2) & 0x0100) != 0);  // RD echoed
  CHECK(readU16(out + 6) == 1);
  CHECK(readU16(out + 10) == 1);
  CHECK(std::memcmp(out + 12, p.data() + 12, p.size() - 12) == 0);  // case kept
  size_t answer = p.size();
  CHECK(readU16(out + answer) == 0xC00C);  // owner: pointer to the question
  size_t srvTarget = answer + 2 + 10 + 6;
  CHECK(nameAt(out, n, srvTarget) == "web.dev.svc.cluster.local.");
  CHECK((out[srvTarget] & 0xC0) == 0xC0);  // entirely a suffix of the question
  size_t additional = srvTarget + 2;
  CHECK(nameAt(out, n, additional) == "web.dev.svc.cluster.local.");
  CHECK(n == additional + 2 + 10 + 4);
}

TEST_CASE("a record that does not fit is rolled back and the message stays well formed") {
  auto p = makeQuery("many.dev.svc.cluster.local", kTypeA);
  Query q;
  REQUIRE(parseQuery(p.data(), p.size(), &q) == ParseResult::Ok);
  uint8_t out[512];
  MessageWriter w(out, sizeof out);
  w.begin(q, p.data(), 100);
  int written = 0;
  for (int i = 0; i < 20; ++i) {
    uint8_t ip[4] = {10, 42, 0, uint8_t(i)};
    w.beginRecordAtQuestion(MessageWriter::kAnswer, kTypeA, 30);
    w.putBytes(ip, 4);
    if (!w.endRecord()) {
      w.setTruncated();
      break;
    }
    ++written;
  }
  size_t n = w.finish();
  CHECK(n <= 100);
  CHECK(written == int((100 - p.size()) / 16));
  CHECK(readU16(out + 6) == written);
  CHECK((readU16(out + 2) & 0x0200) != 0);  // TC
  int records = 0;
  CHECK(forEachTtl(out, n, [&](uint8_t*, uint16_t) { ++records; }));
  CHECK(records == written);
}

TEST_CASE("EDNS responses carry an OPT record, and BADVERS its upper rcode bits") {
  auto p = makeQuery("a.b", kTypeA, 0x0100, 1232, 1);
  Query q;
  REQUIRE(parseQuery(p.data(), p.size(), &q) == ParseResult::BadVersion);
  uint8_t out[512];
  MessageWriter w(out, sizeof out);
  w.begin(q, p.data(), q.udpLimit());
  w.setRcode(kBadVers);
  size_t n = w.finish();
  CHECK((readU16(out + 2) & 0x0F) == 0);
  CHECK(readU16(out + 10) == 1);
  const uint8_t* opt = out + n - 11;
  CHECK(readU16(opt + 1) == kTypeOPT);
  CHECK(readU16(opt + 3) == kServerUdpSize);
  CHECK(opt[5] == 1);  // 16 >> 4
}

TEST_CASE("header-only responses for unparsable questions") {
  auto p = makeQuery("a.b", kTypeA, (4 << 11) | 0x0100);
  Query q;
  REQUIRE(parseQuery(p.data(), p.size(), &q) == ParseResult::NotImp);
  uint8_t out[12];
  REQUIRE(writeHeaderOnly(q, kNotImp, out, sizeof out) == 12);
  CHECK(readU16(out) == 0x1234);
  CHECK(readU16(out + 2) == (0x8000 | (4 << 11) | 0x0100 | kNotImp));
  CHECK(readU16(out + 4) == 0);
}

TEST_CASE("names: dotted to wire, and decompression refuses loops") {
  uint8_t wire[kMaxNameLength];
  CHECK(toWireName("Cluster.Local.", wire, sizeof wire) == 15);
  CHECK(std::memcmp(wire, "\7cluster\5local\0", 15) == 0);
  CHECK(toWireName("", wire, sizeof wire) == 1);
  CHECK(toWireName("a..b", wire, sizeof wire) == 0);
  CHECK(toWireName(std::string(64, 'x'), wire, sizeof wire) == 0);

  uint8_t loop[16] = {0};
  loop[12] = 0xC0;
  loop[13] = 12;
  CHECK(readName(loop, sizeof loop, 12, wire) == 0);
}

TEST_CASE("removeOpt and copyAnswers work on upstream responses") {
  // An upstream answer: www.example.com CNAME cdn.example.net, cdn A, OPT.
  auto p = makeQuery("www.example.com", kTypeA, 0x8180, 1232);
  writeU16(p.data() + 6, 2);
  // The OPT must come last: rebuild without it, append answers, then OPT.
  p.resize(p.size() - 11);
  writeU16(p.data() + 10, 1);
  uint8_t cname[] = {0xC0, 12, 0, 5, 0, 1, 0, 0, 1, 0x2C, 0, 17, 3, 'c', 'd', 'n', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'n', 'e', 't', 0};
  p.insert(p.end(), cname, cname + sizeof cname);
  size_t cdnAt = p.size() - 17;
  uint8_t a[] = {0xC0, uint8_t(cdnAt), 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1};
  p.insert(p.end(), a, a + sizeof a);
  uint8_t opt[11] = {0, 0, 41, 4, 0xD0, 0, 0, 0, 0, 0, 0};
  p.insert(p.end(), opt, opt + 11);

  std::vector<uint8_t> stripped = p;
  size_t n = removeOpt(stripped.data(), stripped.size());
  CHECK(n == p.size() - 11);
  CHECK(readU16(stripped.data() + 10) == 0);

  auto question = makeQuery("web.dev.svc.cluster.local", kTypeA);
  Query q;
  REQUIRE(parseQuery(question.data(), question.size(), &q) == ParseResult::Ok);
  uint8_t out[512];
  MessageWriter w(out, sizeof out);
  w.begin(q, question.data(), 512);
  REQUIRE(copyAnswers(p.data(), p.size(), w));
  size_t m = w.finish();
  CHECK(readU16(out + 6) == 2);
  size_t first = question.size();
  CHECK(nameAt(out, m, first) == "www.example.com.");
  std::vector<uint32_t> ttls;
  CHECK(forEachTtl(out, m, [&](uint8_t* ttl, uint16_t) { ttls.push_back(readU32(ttl)); }));
  CHECK(ttls == std::vector<uint32_t>{300, 60});
}
