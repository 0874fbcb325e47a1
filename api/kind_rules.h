// api/kind_rules.h — the per-kind pieces behind validation.h: one defaulting
// and one validation function per kind, plus the shared pod-spec, metadata
// and IP checks. Internal to api/; validation.cpp dispatches on the kind.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/field_error.h"
#include "api/kinds.h"

namespace minik {

using json = nlohmann::json;

// --- defaults -------------------------------------------------------------
// A pod spec's own defaults and its containers' (shared by Pods and templates).
void defaultPodSpec(json& spec);
void defaultPod(json& pod);
void defaultService(json& service);
void defaultDeployment(json& deployment);
void defaultReplicaSet(json& replicaSet);
void defaultNamespace(json& ns);
void defaultNode(json& node);
void defaultSecret(json& secret);
void defaultEndpoints(json& endpoints);
void defaultEndpointSlice(json& slice);
// "BestEffort", "Burstable" or "Guaranteed", from the containers' resources.
std::string podQosClass(const json& podSpec);

// --- validation -----------------------------------------------------------
// Which name rule metadata.name follows for the kind (per Kubernetes' registry).
using NameCheck = std::vector<std::string> (*)(std::string_view);
NameCheck nameCheckFor(const KindInfo& kind);

void validateObjectMeta(const KindInfo& kind, const json& object, FieldErrors& errors);
void validateObjectMetaUpdate(const json& object, const json& old, FieldErrors& errors);
// Annotations at path: keys are qualified names (any case); 256 KiB in total.
void validateAnnotations(const json& annotations, const std::string& path, FieldErrors& errors);

// A pod spec at path ("spec", "spec.template.spec").
void validatePodSpec(const json& spec, const std::string& path, FieldErrors& errors);
// A pod template at path ("spec.template"): labels, annotations, spec.
void validatePodTemplate(const json& tmpl, const std::string& path, FieldErrors& errors);

void validatePod(const json& pod, const json* old, FieldErrors& errors);
void validateService(const json& service, const json* old, FieldErrors& errors);
void validateDeployment(const json& deployment, const json* old, FieldErrors& errors);
void validateReplicaSet(const json& replicaSet, const json* old, FieldErrors& errors);
void validateConfigMap(const json& configMap, const json* old, FieldErrors& errors);
void validateSecret(const json& secret, const json* old, FieldErrors& errors);
void validateNamespace(const json& ns, FieldErrors& errors);
void validateEndpointSlice(const json& slice, const json* old, FieldErrors& errors);
void validateEndpoints(const json& endpoints, FieldErrors& errors);
void validateEvent(const json& event, FieldErrors& errors);

// --- shared checks --------------------------------------------------------
// Go's netutils.ParseIPSloppy (IPv4 may have leading zeros), and the families.
bool isIpAddress(std::string_view text);
bool isIpv4Address(std::string_view text);
bool isIpv6Address(std::string_view text);
// An integer member: absent/null -> nullopt without error; a non-integer adds a
// type error at path and also yields nullopt.
std::optional<long long> integerMember(const json& object, std::string_view key, const std::string& path,
                                       FieldErrors& errors);
// Appends Invalid errors for each message of check(value) at path.
void appendInvalid(const std::string& path, const std::string& value, const std::vector<std::string>& messages,
                   FieldErrors& errors);
extern const std::vector<std::string> kSupportedPortProtocols;  // "SCTP", "TCP", "UDP"

}  // namespace minik
