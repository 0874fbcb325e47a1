// controllers/rfc3339.h — the timestamps of object metadata and conditions
// (RFC 3339, whole seconds, UTC: "2024-05-01T12:00:00Z"), as Kubernetes
// writes them.
//
// Contract: parse() accepts what format() writes (and fractional seconds or a
// numeric offset, which Kubernetes also accepts); it returns 0 for an empty
// or unreadable text, so callers treat "no time" and "bad time" alike.
#pragma once

#include <cstdint>
#include <string>

namespace minik {

// Seconds since the epoch, now.
int64_t epochNow();
std::string formatRfc3339(int64_t epochSeconds);
inline std::string nowRfc3339() { return formatRfc3339(epochNow()); }
int64_t parseRfc3339(const std::string& text);

}  // namespace minik
