// Kubernetes protobuf bodies to JSON: the envelope, the wire format, and the
// walk over protobuf_schema.h's tables. Error texts are those of the Go
// decoders Kubernetes uses (gogo-protobuf generated code and the apiserver's
// transformDecodeError), so a client sees the message a Kubernetes API server
// would give it.
#include "api/protobuf_object.h"

#include <cstdint>
#include <cstdio>

#include "api/protobuf_schema.h"

namespace minik {

using nlohmann::json;
using protobuf::FieldSchema;
using protobuf::MessageSchema;
using protobuf::ValueType;

namespace {

constexpr std::string_view kMagic("k8s\0", 4);

enum WireType { kVarint = 0, kFixed64 = 1, kDelimited = 2, kStartGroup = 3, kEndGroup = 4, kFixed32 = 5 };

// A malformed body; what() is the Go decoder's wording.
struct WireError {
  std::string text;
};

[[noreturn]] void fail(std::string text) { throw WireError{std::move(text)}; }
[[noreturn]] void failEof() { fail("unexpected EOF"); }

// Reads protobuf wire values from a byte range; every read is bounds-checked.
class WireReader {
 public:
  explicit WireReader(std::string_view bytes)
      : at_(reinterpret_cast<const unsigned char*>(bytes.data())), end_(at_ + bytes.size()) {}

  bool atEnd() const { return at_ == end_; }

  std::uint64_t varint() {
    std::uint64_t value = 0;
    for (int shift = 0;; shift += 7) {
      if (shift >= 64) fail("proto: integer overflow");
      if (at_ == end_) failEof();
      unsigned char b = *at_++;
      value |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) return value;
    }
  }

  // Length-prefixed bytes. Go reads the length as a signed int, hence the
  // negative-length error for lengths of 2^63 and more.
  std::string_view delimited() {
    std::uint64_t length = varint();
    if (length > static_cast<std::uint64_t>(INT64_MAX)) fail("proto: negative length found during unmarshaling");
    if (length > static_cast<std::uint64_t>(end_ - at_)) failEof();
    std::string_view bytes(reinterpret_cast<const char*>(at_), static_cast<std::size_t>(length));
    at_ += length;
    return bytes;
  }

  // Steps over the value of a field this decoder does not know, groups
  // included (gogo's skipGenerated).
  void skip(int wireType) {
    int depth = 0;
    for (;;) {
      switch (wireType) {
        case kVarint: varint(); break;
        case kFixed64: advance(8); break;
        case kDelimited: delimited(); break;
        case kStartGroup: ++depth; break;
        case kEndGroup:
          if (depth == 0) fail("proto: unexpected end of group");
          --depth;
          break;
        case kFixed32: advance(4); break;
        default: fail("proto: illegal wireType " + std::to_string(wireType));
      }
      if (depth == 0) return;
      wireType = static_cast<int>(varint() & 7);
    }
  }

 private:
  void advance(std::size_t n) {
    if (static_cast<std::size_t>(end_ - at_) < n) failEof();
    at_ += n;
  }

  const unsigned char* at_;
  const unsigned char* end_;
};

struct Tag {
  std::uint32_t field;
  int wireType;
};

Tag readTag(WireReader& in, const char* messageName) {
  std::uint64_t key = in.varint();
  int wireType = static_cast<int>(key & 7);
  auto field = static_cast<std::int32_t>(key >> 3);
  if (wireType == kEndGroup) fail(std::string("proto: ") + messageName + ": wiretype end group for non-group");
  if (field <= 0) {
    fail(std::string("proto: ") + messageName + ": illegal tag " + std::to_string(field) + " (wire type " +
         std::to_string(static_cast<std::int64_t>(key)) + ")");
  }
  return {static_cast<std::uint32_t>(field), wireType};
}

// Go's encoding/json writes each byte of an invalid UTF-8 sequence as U+FFFD.
std::string validUtf8(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());
  std::size_t n = in.size();
  for (std::size_t i = 0; i < n;) {
    unsigned char c = s[i];
    std::size_t len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    bool ok = len != 0 && i + len <= n;
    for (std::size_t k = 1; ok && k < len; ++k) ok = (s[i + k] & 0xc0) == 0x80;
    // Overlong forms, surrogates and code points past U+10FFFF.
    if (ok && len == 3) ok = !(c == 0xe0 && s[i + 1] < 0xa0) && !(c == 0xed && s[i + 1] > 0x9f);
    if (ok && len == 4) ok = !(c == 0xf0 && s[i + 1] < 0x90) && !(c == 0xf4 && s[i + 1] > 0x8f);
    if (ok) {
      out.append(in.substr(i, len));
      i += len;
    } else {
      out += "\xef\xbf\xbd";
      ++i;
    }
  }
  return out;
}

std::string base64(std::string_view in) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < in.size(); i += 3) {
    std::uint32_t n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

// Go's time.Time zero value, 0001-01-01T00:00:00Z, in Unix seconds: metav1
// times that equal it are written as JSON null.
constexpr std::int64_t kZeroTimeUnixSeconds = -62135596800;

// RFC 3339 in UTC as Go's "2006-01-02T15:04:05Z" layout writes it, with
// `micros` >= 0 adding the ".000000" fraction of metav1.MicroTime.
std::string rfc3339(std::int64_t seconds, int micros) {
  std::int64_t days = seconds / 86400;
  std::int64_t rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
  std::int64_t z = days + 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  auto dayOfEra = static_cast<unsigned>(z - era * 146097);
  unsigned yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
  unsigned dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
  unsigned mp = (5 * dayOfYear + 2) / 153;
  unsigned day = dayOfYear - (153 * mp + 2) / 5 + 1;
  unsigned month = mp < 10 ? mp + 3 : mp - 9;
  std::int64_t year = static_cast<std::int64_t>(yearOfEra) + era * 400 + (month <= 2);
  char text[64];
  std::snprintf(text, sizeof text, "%s%04lld-%02u-%02uT%02d:%02d:%02d", year < 0 ? "-" : "",
                static_cast<long long>(year < 0 ? -year : year), month, day, static_cast<int>(rest / 3600),
                static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  std::string out = text;
  if (micros >= 0) {
    std::snprintf(text, sizeof text, ".%06d", micros);
    out += text;
  }
  return out + "Z";
}

// metav1.Time and MicroTime travel as a Timestamp {seconds = 1, nanos = 2};
// an empty message is the zero time. Time keeps whole seconds only (Go's
// decoder drops the nanos); MicroTime keeps microseconds.
json decodeTime(std::string_view bytes, bool micro) {
  if (bytes.empty()) return nullptr;
  std::int64_t seconds = 0;
  std::int64_t nanos = 0;
  WireReader in(bytes);
  while (!in.atEnd()) {
    Tag tag = readTag(in, "Timestamp");
    if ((tag.field == 1 || tag.field == 2) && tag.wireType != kVarint) {
      fail("proto: wrong wireType = " + std::to_string(tag.wireType) + " for field " +
           (tag.field == 1 ? "Seconds" : "Nanos"));
    }
    if (tag.field == 1) seconds = static_cast<std::int64_t>(in.varint());
    else if (tag.field == 2) nanos = static_cast<std::int32_t>(in.varint());
    else in.skip(tag.wireType);
  }
  if (!micro) nanos = 0;
  nanos -= nanos % 1000;  // truncation toward zero, as Duration.Truncate
  // time.Unix normalises nanos outside [0, 1e9) into the seconds. Years
  // past int64 seconds cannot be written; refuse them rather than wrap.
  if (seconds > INT64_MAX - 4 || seconds < INT64_MIN + 4) fail("Time: seconds out of range");
  seconds += nanos / 1000000000;
  nanos %= 1000000000;
  if (nanos < 0) {
    nanos += 1000000000;
    --seconds;
  }
  if (seconds == kZeroTimeUnixSeconds && nanos == 0) return nullptr;
  return rfc3339(seconds, micro ? static_cast<int>(nanos / 1000) : -1);
}

// Fields 1..n of a small helper message, as raw wire values by number.
struct SmallMessage {
  std::string_view delimited[4];
  std::uint64_t varint[4] = {};
  bool seen[4] = {};
};

SmallMessage readSmall(std::string_view bytes, const char* name, const int (&wireTypes)[4]) {
  SmallMessage m;
  WireReader in(bytes);
  while (!in.atEnd()) {
    Tag tag = readTag(in, name);
    if (tag.field >= 4 || wireTypes[tag.field] < 0) {
      in.skip(tag.wireType);
      continue;
    }
    if (tag.wireType != wireTypes[tag.field]) {
      fail("proto: wrong wireType = " + std::to_string(tag.wireType) + " for field " + std::to_string(tag.field));
    }
    if (tag.wireType == kVarint) m.varint[tag.field] = in.varint();
    else m.delimited[tag.field] = in.delimited();
    m.seen[tag.field] = true;
  }
  return m;
}

json decodeIntOrString(std::string_view bytes) {
  SmallMessage m = readSmall(bytes, "IntOrString", {-1, kVarint, kVarint, kDelimited});
  auto type = static_cast<std::int64_t>(m.varint[1]);
  if (type == 0) return static_cast<std::int32_t>(m.varint[2]);
  if (type == 1) return validUtf8(m.delimited[3]);
  fail("impossible IntOrString.Type");
}

json decodeQuantity(std::string_view bytes) {
  SmallMessage m = readSmall(bytes, "Quantity", {-1, kDelimited, -1, -1});
  // An empty Quantity is zero, which Go writes as "0".
  return m.seen[1] ? validUtf8(m.delimited[1]) : std::string("0");
}

json decodeRawJson(std::string_view bytes) {
  SmallMessage m = readSmall(bytes, "RawExtension", {-1, kDelimited, -1, -1});
  if (m.delimited[1].empty()) return nullptr;
  json value = json::parse(m.delimited[1].begin(), m.delimited[1].end(), nullptr, false);
  if (value.is_discarded()) fail("raw field does not hold JSON");
  return value;
}

void decodeMessage(std::string_view bytes, const MessageSchema& schema, json& object);

int wireTypeOf(ValueType type) {
  switch (type) {
    case ValueType::Bool:
    case ValueType::Int32:
    case ValueType::Int64: return kVarint;
    default: return kDelimited;
  }
}

// One value of a field, read from the wire as wireTypeOf(row.type).
json decodeValue(WireReader& in, const FieldSchema& row) {
  switch (row.type) {
    case ValueType::Bool: return in.varint() != 0;
    case ValueType::Int32: return static_cast<std::int32_t>(in.varint());
    case ValueType::Int64: return static_cast<std::int64_t>(in.varint());
    case ValueType::String: return validUtf8(in.delimited());
    case ValueType::Bytes: return base64(in.delimited());
    case ValueType::Time: return decodeTime(in.delimited(), false);
    case ValueType::MicroTime: return decodeTime(in.delimited(), true);
    case ValueType::Quantity: return decodeQuantity(in.delimited());
    case ValueType::IntOrString: return decodeIntOrString(in.delimited());
    case ValueType::RawJson: return decodeRawJson(in.delimited());
    case ValueType::Message: {
      json object = json::object();
      decodeMessage(in.delimited(), *row.message, object);
      return object;
    }
  }
  fail("proto: unknown value type");
}

// The value a map entry {key = 1, value = 2} holds when the value field is
// absent: Go's zero value of the map's value type.
json zeroValue(const FieldSchema& row) {
  switch (row.type) {
    case ValueType::Bool: return false;
    case ValueType::Int32:
    case ValueType::Int64: return 0;
    case ValueType::Quantity: return "0";
    case ValueType::Message: return json::object();
    case ValueType::Time:
    case ValueType::MicroTime:
    case ValueType::RawJson: return nullptr;
    default: return "";
  }
}

bool isZero(const json& value) {
  return (value.is_string() && value.get_ref<const std::string&>().empty()) ||
         (value.is_number_integer() && value.get<std::int64_t>() == 0) || (value.is_boolean() && !value.get<bool>());
}

void decodeMapEntry(std::string_view bytes, const FieldSchema& row, json& map) {
  std::string key;
  json value = zeroValue(row);
  WireReader in(bytes);
  while (!in.atEnd()) {
    Tag tag = readTag(in, "MapEntry");
    int expected = tag.field == 1 ? kDelimited : tag.field == 2 ? wireTypeOf(row.type) : -1;
    if (expected < 0) {
      in.skip(tag.wireType);
      continue;
    }
    if (tag.wireType != expected) {
      fail("proto: wrong wireType = " + std::to_string(tag.wireType) + " for field " + row.jsonName);
    }
    if (tag.field == 1) key = validUtf8(in.delimited());
    else value = decodeValue(in, row);
  }
  map[key] = std::move(value);
}

void decodeField(WireReader& in, int wireType, const FieldSchema& row, json& object) {
  const char* name = row.jsonName[0] ? row.jsonName : row.message ? row.message->name : "";
  int expected = (row.flags & protobuf::kMap) ? kDelimited : wireTypeOf(row.type);
  bool packed = (row.flags & protobuf::kRepeated) && expected == kVarint && wireType == kDelimited;
  if (wireType != expected && !packed) {
    fail("proto: wrong wireType = " + std::to_string(wireType) + " for field " + name);
  }
  if (row.flags & protobuf::kMap) {
    json& map = object[row.jsonName];
    if (!map.is_object()) map = json::object();
    decodeMapEntry(in.delimited(), row, map);
    return;
  }
  if (row.flags & protobuf::kRepeated) {
    json& list = object[row.jsonName];
    if (!list.is_array()) list = json::array();
    if (!packed) {
      list.push_back(decodeValue(in, row));
      return;
    }
    WireReader elements(in.delimited());
    while (!elements.atEnd()) list.push_back(decodeValue(elements, row));
    return;
  }
  if (row.type == ValueType::Message) {
    // A message field seen twice merges, as Go's decoder does; an inlined
    // one (json:",inline") lands in the enclosing object.
    json& target = row.jsonName[0] ? object[row.jsonName] : object;
    if (!target.is_object()) target = json::object();
    decodeMessage(in.delimited(), *row.message, target);
    return;
  }
  json value = decodeValue(in, row);
  if ((row.flags & protobuf::kOmitEmpty) && isZero(value)) {
    object.erase(row.jsonName);
  } else {
    object[row.jsonName] = std::move(value);
  }
}

void decodeMessage(std::string_view bytes, const MessageSchema& schema, json& object) {
  WireReader in(bytes);
  while (!in.atEnd()) {
    Tag tag = readTag(in, schema.name);
    if (const FieldSchema* row = schema.field(tag.field)) {
      decodeField(in, tag.wireType, *row, object);
    } else {
      in.skip(tag.wireType);
    }
  }
}

// runtime.Unknown {typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2,
// contentEncoding = 3, contentType = 4}; only what locates the object counts.
struct Envelope {
  std::string apiVersion;
  std::string kind;
  std::string_view raw;
};

Envelope readEnvelope(std::string_view bytes) {
  Envelope envelope;
  SmallMessage unknown = readSmall(bytes, "Unknown", {-1, kDelimited, kDelimited, kDelimited});
  SmallMessage typeMeta = readSmall(unknown.delimited[1], "TypeMeta", {-1, kDelimited, kDelimited, -1});
  envelope.apiVersion = validUtf8(typeMeta.delimited[1]);
  envelope.kind = validUtf8(typeMeta.delimited[2]);
  envelope.raw = unknown.delimited[2];
  return envelope;
}

// The first bytes of a body as the apiserver's summarizeData shows them.
std::string summarize(std::string_view body) {
  constexpr std::size_t kMaxLength = 30;
  if (body.empty()) return "<empty>";
  std::string_view head = body.substr(0, kMaxLength);
  std::string out;
  if (body[0] == '{') {
    out = validUtf8(head);
  } else {
    static const char kHex[] = "0123456789abcdef";
    for (unsigned char c : head) {
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return body.size() > kMaxLength ? out + " ..." : out;
}

std::string unrecognized(const std::string& expectedKind, const std::string& reason, std::string_view body) {
  return "the object provided is unrecognized (must be of type " + expectedKind + "): " + reason + " (" +
         summarize(body) + ")";
}

}  // namespace

bool isProtobufMediaType(std::string_view contentType) {
  if (contentType.substr(0, kProtobufMediaType.size()) != kProtobufMediaType) return false;
  std::string_view rest = contentType.substr(kProtobufMediaType.size());
  return rest.empty() || rest[0] == ';' || rest[0] == ' ';
}

std::optional<std::string> decodeProtobufObject(std::string_view body, const std::string& expectedApiVersion,
                                                const std::string& expectedKind, json& out) {
  if (body.empty()) return unrecognized(expectedKind, "empty data", body);
  if (body.substr(0, kMagic.size()) != kMagic) {
    return unrecognized(expectedKind,
                        "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]", body);
  }
  if (body.size() == kMagic.size()) return unrecognized(expectedKind, "empty body", body);

  Envelope envelope;
  try {
    envelope = readEnvelope(body.substr(kMagic.size()));
  } catch (const WireError& e) {
    return unrecognized(expectedKind, e.text, body);
  }
  // An envelope without a kind or version takes the request's, as
  // Kubernetes' copyKindDefaults does.
  if (envelope.kind.empty()) envelope.kind = expectedKind;
  if (envelope.apiVersion.empty()) envelope.apiVersion = expectedApiVersion;
  std::string version = envelope.apiVersion.substr(envelope.apiVersion.find('/') + 1);
  auto cannotHandle = [&](const std::string& reason) {
    return envelope.kind + " in version \"" + version + "\" cannot be handled as a " + expectedKind + ": " + reason;
  };

  const MessageSchema* schema = protobuf::messageForKind(envelope.apiVersion, envelope.kind);
  if (!schema) {
    return cannotHandle("no kind \"" + envelope.kind + "\" is registered for version \"" + envelope.apiVersion +
                        "\" in scheme \"k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30\"");
  }
  json object = json::object();
  try {
    decodeMessage(envelope.raw, *schema, object);
  } catch (const WireError& e) {
    return cannotHandle(e.text);
  }
  object["apiVersion"] = envelope.apiVersion;
  object["kind"] = envelope.kind;
  out = std::move(object);
  return std::nullopt;
}

}  // namespace minik
