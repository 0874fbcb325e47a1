// api/validation.h — defaults and validation per kind, as the Kubernetes API
// server applies them on create and update.
//
// Contract: applyDefaults never overwrites a value that is set and is
// idempotent (applying it twice equals applying it once). validateObject
// never throws, whatever the JSON holds; errors carry Kubernetes' field paths
// and messages, in the order Kubernetes reports them.
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
// Pod's phase Pending and a Namespace's phase Active). A Secret's stringData
// is folded into data (base64) and dropped, as Kubernetes' conversion does.
void applyDefaults(const KindInfo& kind, nlohmann::json& object);

// Validates an object after defaulting. old is the stored object on update
// (nullptr on create) for immutable-field checks (e.g. a Deployment's
// spec.selector, a Service's spec.clusterIP).
FieldErrors validateObject(const KindInfo& kind, const nlohmann::json& object,
                           const nlohmann::json* old);

// On update, before applyDefaults: carries over what the server allocated and
// a client may leave out of a full replacement (PUT), as Kubernetes' update
// strategies do: a Service's clusterIP(s), ipFamilies, ipFamilyPolicy,
// healthCheckNodePort and ports' nodePorts.
void preserveAllocatedFields(const KindInfo& kind, nlohmann::json& object, const nlohmann::json& old);

}  // namespace minik
