// cli/go_json.h — JSON text exactly as Go's encoding/json writes it, which is
// what kubectl writes: keys sorted bytewise, no spaces (or MarshalIndent's
// layout), '<' '>' '&' U+2028 U+2029 escaped, floats in Go's shortest form.
//
// Why it matters: kubectl stores the applied manifest in the
// kubectl.kubernetes.io/last-applied-configuration annotation as this text;
// if minik wrote different bytes, `kubectl apply` after `minik apply` would
// see a change that is not there and report `configured`.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace minik {

// json.Marshal: compact.
std::string goJsonCompact(const nlohmann::json& value);

// json.MarshalIndent(value, "", indent): one member per line.
std::string goJsonIndented(const nlohmann::json& value, const std::string& indent);

// How Go's fmt prints a float64 with %v (strconv 'g', shortest): "0.5",
// "1e+21". Used by jsonpath and the YAML printer.
std::string goFloatG(double value);

}  // namespace minik
