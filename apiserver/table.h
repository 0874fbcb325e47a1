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

// One row: {"cells": [...], "object": <object or PartialObjectMetadata>}.
// includeObject is the request's includeObject parameter ("None", "Metadata",
// "Object"; kubectl sends "Object" for -o wide/-l and "Metadata" by default).
// now is used to print AGE-like columns.
nlohmann::json tableRow(const KindInfo& kind, const nlohmann::json& object,
                        const std::string& includeObject, std::time_t now);

// Kubernetes' short human duration ("5s", "3m2s", "10m", "5h", "2d3h", "400d").
std::string humanDuration(std::time_t seconds);

}  // namespace minik
