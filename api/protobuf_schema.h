// api/protobuf_schema.h — the protobuf shapes of the kinds minik serves.
//
// What it offers: for each kind, the schema of the message that Kubernetes'
// protobuf encoding uses for it (k8s.io/api and k8s.io/apimachinery
// generated.proto): for each field, its number, the JSON name the same field
// has in the object's JSON, its value type, its shape (one value, repeated,
// or map<string, V>) and whether Go's `omitempty` leaves its zero value out
// of the JSON. protobuf_object.cpp walks these tables to turn a protobuf body
// into the JSON object the rest of the server handles.
//
// Invariants: the tables are static, immutable and constant-initialised;
// rows of a message are sorted by field number; every message a row names is
// defined, and no message contains itself, so nesting depth is bounded by the
// schema. A field a table does not list is unknown: decoders skip it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace minik::protobuf {

// How a field's wire value becomes JSON.
enum class ValueType : std::uint8_t {
  String,       // string
  Bytes,        // bytes -> base64 string, as Go's encoding/json writes []byte
  Bool,         // varint -> true/false
  Int32,        // varint -> number (int32 wrap-around, as Go's decoder does)
  Int64,        // varint -> number
  Message,      // nested message -> object; an empty JSON name inlines it
  Time,         // metav1.Time {seconds, nanos} -> RFC 3339 in seconds, or null
  MicroTime,    // metav1.MicroTime -> RFC 3339 with microseconds, or null
  Quantity,     // resource.Quantity {string} -> "500m"
  IntOrString,  // intstr.IntOrString {type, intVal, strVal} -> 8080 or "http"
  RawJson,      // FieldsV1 / RawExtension {raw} -> the JSON the raw bytes hold
};

enum FieldFlag : std::uint8_t {
  kRepeated = 1,   // repeated: a JSON array, one element per occurrence
  kMap = 2,        // map<string, type>: entries {key = 1, value = 2}
  kOmitEmpty = 4,  // a Go value (not pointer) with omitempty: zero is dropped
};

struct MessageSchema;

struct FieldSchema {
  std::uint16_t number;
  const char* jsonName;  // "" when Go embeds the struct inline (json:",inline")
  ValueType type;        // for maps, the type of the values
  std::uint8_t flags = 0;
  const MessageSchema* message = nullptr;  // for ValueType::Message
};

struct MessageSchema {
  const char* name;  // the proto message name, for error texts
  const FieldSchema* fields;
  std::size_t count;

  template <std::size_t N>
  constexpr MessageSchema(const char* messageName, const FieldSchema (&rows)[N])
      : name(messageName), fields(rows), count(N) {}

  // The row for a field number, or nullptr for a field this table skips.
  const FieldSchema* field(std::uint32_t number) const;
};

// The schema of the top-level message for apiVersion/kind ("apps/v1",
// "Deployment"), or nullptr when minik has no protobuf schema for it.
const MessageSchema* messageForKind(std::string_view apiVersion, std::string_view kind);

}  // namespace minik::protobuf
