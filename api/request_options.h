// api/request_options.h — options of write requests, shared by the HTTP
// surface, the registry and the client interface.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace minik {

enum class PatchType { Merge, Json, StrategicMerge };

// metav1.DeleteOptions, the parts minik honours.
struct DeleteOptions {
  std::string preconditionUid;
  int64_t preconditionRevision = 0;
  std::optional<int64_t> gracePeriodSeconds;
  std::string propagationPolicy;  // "", "Background", "Foreground", "Orphan"
  bool dryRun = false;
};

}  // namespace minik
