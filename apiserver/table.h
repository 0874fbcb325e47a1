// apiserver/table.h — server-side printing: the meta.k8s.io/v1 Table that
// kubectl asks for (Accept: application/json;as=Table;v=v1;g=meta.k8s.io),
// with the same columns a real cluster prints for each kind.
#pragma once

#include <ctime>

#include <nlohmann/json.hpp>

#include "api/kinds.h"

namespace minik {

// The columnDefinitions array for the kind (name, type, format, description,
// priority; priority 1 columns are the extra ones of `-o wide`).
nlohmann::json tableColumns(const KindInfo& kind);

// One row: {"cells": [...], "object": <object or PartialObjectMetadata>},
// plus "conditions" ([{"type":"Completed",...}]) for pods that finished.
// Cells follow the columns one for one, priority 1 columns included: the API
// server prints wide and kubectl hides those columns unless -o wide.
// includeObject is the request's includeObject parameter: "Object" (the
// object itself; kubectl asks for it only with --sort-by), "Metadata" or ""
// (Kubernetes' default, what plain `kubectl get` gets: a meta.k8s.io/v1
// PartialObjectMetadata), "None" (object: null). Any other value must be
// refused by the caller with 400 `unrecognized includeObject value: "x"`;
// here it is treated as "Metadata".
// now is used to print AGE-like columns.
nlohmann::json tableRow(const KindInfo& kind, const nlohmann::json& object,
                        const std::string& includeObject, std::time_t now);

// Kubernetes' short human duration ("5s", "3m2s", "10m", "5h", "2d3h", "400d").
std::string humanDuration(std::time_t seconds);

}  // namespace minik
