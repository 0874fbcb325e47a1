#include "api/labels.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "api/label_requirement.h"
#include "api/names.h"
#include "api/validation_messages.h"

namespace minik {

namespace {

const char* kQualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const char* kQualifiedNameMsg =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character";
const char* kLabelValueFmt = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const char* kLabelValueMsg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character";

bool isAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]
bool matchesQualifiedName(std::string_view v) {
  if (v.empty() || !isAlnum(v.front()) || !isAlnum(v.back())) return false;
  for (char c : v) {
    if (!isAlnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

std::optional<long long> parseInt64(const std::string& s) {
  if (s.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || std::isspace(static_cast<unsigned char>(s[0]))) return std::nullopt;
  return v;
}

bool hasValue(const LabelSelector::Requirement& r, const std::string& v) {
  return std::find(r.values.begin(), r.values.end(), v) != r.values.end();
}

bool requirementMatches(const LabelSelector::Requirement& r, const Labels& labels) {
  auto it = labels.find(r.key);
  bool present = it != labels.end();
  switch (r.op) {
    case LabelSelector::Op::Equals:
    case LabelSelector::Op::In:
      return present && hasValue(r, it->second);
    case LabelSelector::Op::NotEquals:
    case LabelSelector::Op::NotIn:
      return !present || !hasValue(r, it->second);
    case LabelSelector::Op::Exists:
      return present;
    case LabelSelector::Op::DoesNotExist:
      return !present;
    case LabelSelector::Op::GreaterThan:
    case LabelSelector::Op::LessThan: {
      if (!present || r.values.size() != 1) return false;
      auto have = parseInt64(it->second);
      auto want = parseInt64(r.values[0]);
      if (!have || !want) return false;
      return r.op == LabelSelector::Op::GreaterThan ? *have > *want : *have < *want;
    }
  }
  return false;
}

std::string joined(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

}  // namespace

std::vector<std::string> checkQualifiedName(std::string_view value) {
  std::vector<std::string> errs;
  std::string_view name = value;
  size_t slashes = std::count(value.begin(), value.end(), '/');
  if (slashes == 1) {
    size_t slash = value.find('/');
    std::string_view prefix = value.substr(0, slash);
    name = value.substr(slash + 1);
    if (prefix.empty()) {
      errs.push_back("prefix part must be non-empty");
    } else {
      for (auto& msg : checkDns1123Subdomain(prefix)) errs.push_back("prefix part " + msg);
    }
  } else if (slashes > 1) {
    errs.push_back("a qualified name " +
                   regexMessage(kQualifiedNameMsg, kQualifiedNameFmt, {"MyName", "my.name", "123-abc"}) +
                   " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
    return errs;
  }
  if (name.empty()) errs.push_back("name part must be non-empty");
  else if (name.size() > 63) errs.push_back("name part " + maxLenMessage(63));
  if (!matchesQualifiedName(name)) {
    errs.push_back("name part " +
                   regexMessage(kQualifiedNameMsg, kQualifiedNameFmt, {"MyName", "my.name", "123-abc"}));
  }
  return errs;
}

std::vector<std::string> checkLabelValue(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > 63) errs.push_back(maxLenMessage(63));
  if (!value.empty() && !matchesQualifiedName(value)) {
    errs.push_back(regexMessage(kLabelValueMsg, kLabelValueFmt, {"MyValue", "my_value", "12345"}));
  }
  return errs;
}

Labels labelsOf(const nlohmann::json& object) {
  Labels out;
  if (!object.is_object()) return out;
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return out;
  auto labels = meta->find("labels");
  if (labels == meta->end() || !labels->is_object()) return out;
  for (const auto& [key, value] : labels->items()) {
    if (value.is_string()) out[key] = value.get<std::string>();
  }
  return out;
}

void validateLabels(const nlohmann::json& labels, const std::string& path, FieldErrors& errors) {
  if (labels.is_null()) return;
  if (!labels.is_object()) {
    errors.push_back(typeInvalidError(path, BadValue::of(labels), "must be a map of strings"));
    return;
  }
  for (const auto& [key, value] : labels.items()) {
    for (auto& msg : checkQualifiedName(key)) errors.push_back(invalidError(path, BadValue::quoted(key), msg));
    if (!value.is_string()) {
      errors.push_back(typeInvalidError(path, BadValue::of(value), "must be a string"));
      continue;
    }
    for (auto& msg : checkLabelValue(value.get_ref<const std::string&>())) {
      errors.push_back(invalidError(path, BadValue::of(value), msg));
    }
  }
}

void validateLabelSelector(const nlohmann::json& selector, const std::string& path, FieldErrors& errors) {
  if (selector.is_null()) return;
  if (!selector.is_object()) {
    errors.push_back(typeInvalidError(path, BadValue::of(selector), "must be a label selector object"));
    return;
  }
  if (auto it = selector.find("matchLabels"); it != selector.end()) {
    validateLabels(*it, path + ".matchLabels", errors);
  }
  auto exprs = selector.find("matchExpressions");
  if (exprs == selector.end() || !exprs->is_array()) return;
  for (size_t i = 0; i < exprs->size(); ++i) {
    const auto& e = (*exprs)[i];
    std::string at = path + ".matchExpressions[" + std::to_string(i) + "]";
    if (!e.is_object()) {
      errors.push_back(typeInvalidError(at, BadValue::of(e), "must be a label selector requirement"));
      continue;
    }
    std::string op = e.contains("operator") && e["operator"].is_string() ? e["operator"].get<std::string>() : "";
    const nlohmann::json* values = e.contains("values") ? &e["values"] : nullptr;
    size_t valueCount = values && values->is_array() ? values->size() : 0;
    if (op == "In" || op == "NotIn") {
      if (valueCount == 0) {
        errors.push_back(requiredError(at + ".values", "must be specified when `operator` is 'In' or 'NotIn'"));
      }
    } else if (op == "Exists" || op == "DoesNotExist") {
      if (valueCount > 0) {
        errors.push_back(forbiddenError(at + ".values",
                                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      }
    } else {
      errors.push_back(invalidError(at + ".operator", BadValue::quoted(op), "not a valid selector operator"));
    }
    std::string key = e.contains("key") && e["key"].is_string() ? e["key"].get<std::string>() : "";
    for (auto& msg : checkQualifiedName(key)) {
      errors.push_back(invalidError(at + ".key", BadValue::quoted(key), msg));
    }
    for (size_t v = 0; v < valueCount; ++v) {
      const auto& value = (*values)[v];
      std::string vpath = at + ".values[" + std::to_string(v) + "]";
      if (!value.is_string()) {
        errors.push_back(typeInvalidError(vpath, BadValue::of(value), "must be a string"));
        continue;
      }
      for (auto& msg : checkLabelValue(value.get_ref<const std::string&>())) {
        errors.push_back(invalidError(vpath, BadValue::of(value), msg));
      }
    }
  }
}

std::optional<LabelSelector::Requirement> makeLabelRequirement(std::string key, LabelSelector::Op op,
                                                               std::vector<std::string> values,
                                                               std::string* error) {
  using Op = LabelSelector::Op;
  FieldErrors errs;
  if (auto msgs = checkQualifiedName(key); !msgs.empty()) {
    errs.push_back(invalidError("key", BadValue::quoted(key), joined(msgs, "; ")));
  }
  // Go hands NewRequirement a nil slice when there are no values.
  const nlohmann::json valuesJson = values;
  const BadValue shown = BadValue::stringList(values.empty() ? nullptr : &valuesJson);
  switch (op) {
    case Op::In:
    case Op::NotIn:
      if (values.empty()) {
        errs.push_back(invalidError("values", shown, "for 'in', 'notin' operators, values set can't be empty"));
      }
      break;
    case Op::Equals:
    case Op::NotEquals:
      if (values.size() != 1) {
        errs.push_back(invalidError("values", shown, "exact-match compatibility requires one single value"));
      }
      break;
    case Op::Exists:
    case Op::DoesNotExist:
      if (!values.empty()) {
        errs.push_back(invalidError("values", shown, "values set must be empty for exists and does not exist"));
      }
      break;
    case Op::GreaterThan:
    case Op::LessThan:
      if (values.size() != 1) {
        errs.push_back(invalidError("values", shown, "for 'Gt', 'Lt' operators, exactly one value is required"));
      }
      for (size_t i = 0; i < values.size(); ++i) {
        if (!parseInt64(values[i])) {
          errs.push_back(invalidError("values[" + std::to_string(i) + "]", BadValue::quoted(values[i]),
                                      "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      }
      break;
  }
  for (size_t i = 0; i < values.size(); ++i) {
    if (auto msgs = checkLabelValue(values[i]); !msgs.empty()) {
      errs.push_back(invalidError("values[" + std::to_string(i) + "][" + key + "]", BadValue::quoted(values[i]),
                                  joined(msgs, "; ")));
    }
  }
  if (!errs.empty()) {
    if (error) *error = describeAll(errs);
    return std::nullopt;
  }
  return LabelSelector::Requirement{std::move(key), op, std::move(values)};
}

std::optional<std::string> labelKeyParseError(const std::string& key) {
  auto msgs = checkQualifiedName(key);
  if (msgs.empty()) return std::nullopt;
  return describe(invalidError("<nil>", BadValue::quoted(key), joined(msgs, "; ")));
}

bool LabelSelector::matches(const Labels& labels) const {
  for (const auto& r : requirements_) {
    if (!requirementMatches(r, labels)) return false;
  }
  return true;
}

std::optional<LabelSelector> LabelSelector::fromJson(const nlohmann::json& selector, std::string* error) {
  LabelSelector out;
  if (selector.is_null()) return out;
  if (!selector.is_object()) {
    if (error) *error = "label selector must be an object";
    return std::nullopt;
  }
  if (auto it = selector.find("matchLabels"); it != selector.end() && it->is_object()) {
    for (const auto& [key, value] : it->items()) {
      auto r = makeLabelRequirement(key, Op::Equals, {value.is_string() ? value.get<std::string>() : value.dump()},
                                    error);
      if (!r) return std::nullopt;
      out.requirements_.push_back(std::move(*r));
    }
  }
  if (auto it = selector.find("matchExpressions"); it != selector.end() && it->is_array()) {
    for (const auto& e : *it) {
      std::string op = e.is_object() && e.contains("operator") && e["operator"].is_string()
                           ? e["operator"].get<std::string>()
                           : "";
      Op mapped;
      if (op == "In") mapped = Op::In;
      else if (op == "NotIn") mapped = Op::NotIn;
      else if (op == "Exists") mapped = Op::Exists;
      else if (op == "DoesNotExist") mapped = Op::DoesNotExist;
      else {
        if (error) *error = quoteGo(op) + " is not a valid label selector operator";
        return std::nullopt;
      }
      std::string key = e.contains("key") && e["key"].is_string() ? e["key"].get<std::string>() : "";
      std::vector<std::string> values;
      if (e.contains("values") && e["values"].is_array()) {
        for (const auto& v : e["values"]) values.push_back(v.is_string() ? v.get<std::string>() : v.dump());
      }
      auto r = makeLabelRequirement(std::move(key), mapped, std::move(values), error);
      if (!r) return std::nullopt;
      out.requirements_.push_back(std::move(*r));
    }
  }
  std::stable_sort(out.requirements_.begin(), out.requirements_.end(),
                   [](const Requirement& a, const Requirement& b) { return a.key < b.key; });
  return out;
}

}  // namespace minik
