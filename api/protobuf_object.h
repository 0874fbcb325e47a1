// api/protobuf_object.h — Kubernetes protobuf request bodies as JSON objects.
//
// kubectl 1.32 and later send the objects of `kubectl create namespace|
// deployment|service|configmap|secret|serviceaccount` (and typed clients
// their creates and updates) as application/vnd.kubernetes.protobuf: the
// four bytes "k8s\0", then a runtime.Unknown envelope {typeMeta{apiVersion,
// kind}, raw, contentEncoding, contentType} whose raw bytes are the object's
// own message from k8s.io/api generated.proto. The rest of minik handles
// objects as JSON, so this turns such a body into the JSON object the same
// object has: apiVersion and kind from the envelope, every field by its JSON
// name, zero values kept or dropped as Go's encoding/json keeps or drops them,
// bytes as base64, times as RFC 3339, quantities and int-or-strings as their
// JSON forms (api/protobuf_schema.h holds the message tables).
//
// Contract: any input is safe — fields the tables do not know are skipped by
// wire type, truncated or malformed bytes give an error, nothing throws out
// and no input reads past the body. Strings that are not valid UTF-8 have each
// bad byte replaced by U+FFFD, as Go's JSON encoder does.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace minik {

// The media type of Kubernetes protobuf bodies.
inline constexpr std::string_view kProtobufMediaType = "application/vnd.kubernetes.protobuf";

// True for kProtobufMediaType, with or without parameters.
bool isProtobufMediaType(std::string_view contentType);

// Decodes a protobuf body into out. expectedApiVersion and expectedKind are
// those the request's path names ("apps/v1", "Deployment"): they fill in an
// envelope that leaves apiVersion or kind empty, as Kubernetes' decoder does,
// and name the expected kind in errors. The decoded kind may still differ
// from the expected one; the caller checks that as it does for JSON.
// Returns nullopt on success, or the message of the 400 Bad Request that
// Kubernetes answers for the same body ("the object provided is unrecognized
// (must be of type Namespace): unexpected EOF (6b387300...)").
std::optional<std::string> decodeProtobufObject(std::string_view body, const std::string& expectedApiVersion,
                                                const std::string& expectedKind, nlohmann::json& out);

}  // namespace minik
