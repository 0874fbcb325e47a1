// store/object_metadata.h — the metadata fields the store owns, stamped into
// an object's JSON inside the transaction that writes it.
//
//  - resourceVersion: the revision of the object's last change, a decimal
//    string (Kubernetes clients treat it as opaque but compare it as text).
//  - uid (UUID v4) and creationTimestamp (RFC 3339, UTC, seconds): set on
//    create, carried over from the stored object on update.
//  - generation: 1 on create; on update, the stored generation plus one when
//    "spec" changed (compared as JSON values, so key order does not count).
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

namespace minik {

// Random UUID version 4, lower-case, 8-4-4-4-12.
std::string newUid(std::mt19937_64& random);

// "2026-11-26T10:00:00Z" for unixSeconds.
std::string rfc3339Utc(int64_t unixSeconds);

// Each returns false when "metadata" exists and is not a JSON object.
bool stampCreated(nlohmann::json& object, int64_t revision, const std::string& uid,
                  const std::string& creationTimestamp);
bool stampUpdated(nlohmann::json& object, const nlohmann::json& stored, int64_t revision);
bool stampRevision(nlohmann::json& object, int64_t revision);

// metadata.uid, or "" when absent.
std::string objectUid(const nlohmann::json& object);

}  // namespace minik
