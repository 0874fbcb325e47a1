// api/admission.h — admission plugins: steps of the write path that may
// change or refuse an object after validation and before it is stored, as
// Kubernetes' admission chain and REST-storage hooks (e.g. ClusterIP
// allocation) do.
//
// Contract: admit() runs on create and update (old is nullptr on create). A
// plugin that reserved something in admit() gets released() for the same
// object when the write did not happen, and when the object is deleted, so
// nothing leaks.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "api/kinds.h"
#include "api/status.h"

namespace minik {

class AdmissionPlugin {
 public:
  virtual ~AdmissionPlugin() = default;
  // May change object; returns an error to refuse the write.
  virtual std::optional<ApiError> admit(const KindInfo& kind, nlohmann::json& object,
                                        const nlohmann::json* old) = 0;
  // The object (as admitted, or as last stored) is gone or was never written.
  virtual void released(const KindInfo& kind, const nlohmann::json& object) = 0;
};

}  // namespace minik
