// api/validation.h — defaults and validation per kind, as the Kubernetes API
// server applies them on create and update.
#pragma once

#include <nlohmann/json.hpp>

#include "api/field_error.h"
#include "api/kinds.h"

namespace minik {

// Fills the defaults Kubernetes fills (Service ports' protocol and targetPort,
// type ClusterIP, sessionAffinity None; Deployment replicas, strategy,
// revisionHistoryLimit, progressDeadlineSeconds; pod spec restartPolicy,
// dnsPolicy, terminationGracePeriodSeconds, schedulerName, container
// imagePullPolicy, terminationMessagePath/Policy; status defaults such as a
// Pod's phase Pending and a Namespace's phase Active).
void applyDefaults(const KindInfo& kind, nlohmann::json& object);

// Validates an object after defaulting. old is the stored object on update
// (nullptr on create) for immutable-field checks (e.g. a Deployment's
// spec.selector, a Service's spec.clusterIP).
FieldErrors validateObject(const KindInfo& kind, const nlohmann::json& object,
                           const nlohmann::json* old);

}  // namespace minik
