// cli/jsonpath.h — `-o jsonpath=TEMPLATE`, as kubectl's
// k8s.io/client-go/util/jsonpath prints: text outside braces is copied,
// {.a.b}, {.items[*].x}, {.a[0]}, {.a[1:3]}, {..name}, {.a['k.e.y']},
// {.items[?(@.x=="y")]}, {range .items[*]}...{end} and {"\n"} literals.
// Several results of one expression are separated by a space; strings print
// raw, numbers and booleans as Go prints them, maps and lists as compact
// JSON. Missing fields print nothing, as with kubectl's allowMissingKeys.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace minik {

// False with error (kubectl's wording where it has one) on a malformed
// template.
bool executeJsonPath(const std::string& text, const nlohmann::json& root, std::string* out, std::string* error);

}  // namespace minik
