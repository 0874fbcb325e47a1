#include "api/field_selector.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "api/field_error.h"

namespace minik {

namespace {

// The fields each kind's field-label conversion accepts (pkg/apis/core/v1
// conversion.go). Kinds absent here use the generic conversion, which only
// knows metadata.name and metadata.namespace.
const std::map<std::string, std::vector<std::string>>& customFieldLabels() {
  static const std::map<std::string, std::vector<std::string>> table = {
      {"Pod",
       {"metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
        "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs",
        "status.nominatedNodeName"}},
      {"Node", {"metadata.name", "spec.unschedulable"}},
      {"Event",
       {"involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
        "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
        "reportingComponent", "source", "type", "metadata.namespace", "metadata.name"}},
      {"Namespace", {"status.phase", "metadata.name"}},
      {"Secret", {"type", "metadata.namespace", "metadata.name"}},
      {"Service", {"metadata.namespace", "metadata.name", "spec.clusterIP", "spec.type"}},
  };
  return table;
}

// The field name the kind knows the label by, or an error worded as the API server's.
std::optional<std::string> convertFieldLabel(const KindInfo& kind, const std::string& label,
                                             std::string* error) {
  const auto& table = customFieldLabels();
  auto it = kind.group.empty() ? table.find(kind.kind) : table.end();
  if (it == table.end()) {
    if (label == "metadata.name" || label == "metadata.namespace") return label;
    *error = quoteGo(label) + " is not a known field selector: only \"metadata.name\", \"metadata.namespace\"";
    return std::nullopt;
  }
  if (kind.kind == "Pod" && label == "spec.host") return std::string("spec.nodeName");  // old v1 clients
  if (std::find(it->second.begin(), it->second.end(), label) != it->second.end()) return label;
  *error = "field label not supported: " + label;
  return std::nullopt;
}

// Go's splitTerms: commas split terms unless escaped with a backslash.
std::vector<std::string> splitTerms(std::string_view s) {
  std::vector<std::string> terms;
  if (s.empty()) return terms;
  size_t start = 0;
  bool inSlash = false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (inSlash) inSlash = false;
    else if (s[i] == '\\') inSlash = true;
    else if (s[i] == ',') {
      terms.emplace_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  terms.emplace_back(s.substr(start));
  return terms;
}

// Go's splitTerm: the first "!=", "==" or "=" splits field from value.
bool splitTerm(const std::string& term, std::string* lhs, std::string* op, std::string* rhs) {
  for (size_t i = 0; i < term.size(); ++i) {
    for (const char* candidate : {"!=", "==", "="}) {
      if (term.compare(i, std::char_traits<char>::length(candidate), candidate) == 0) {
        *lhs = term.substr(0, i);
        *op = candidate;
        *rhs = term.substr(i + op->size());
        return true;
      }
    }
  }
  return false;
}

// Go's UnescapeValue: "\\", "\," and "\=" are the only escapes; bare ',' or '=' is an error.
std::optional<std::string> unescapeValue(const std::string& s, std::string* error) {
  std::string out;
  bool inSlash = false;
  for (char c : s) {
    if (inSlash) {
      if (c != '\\' && c != ',' && c != '=') {
        *error = std::string("invalid field selector: invalid escape sequence: \\") + c;
        return std::nullopt;
      }
      out += c;
      inSlash = false;
    } else if (c == '\\') {
      inSlash = true;
    } else if (c == ',' || c == '=') {
      *error = "invalid field selector: unescaped character in value: " + std::to_string(static_cast<int>(c));
      return std::nullopt;
    } else {
      out += c;
    }
  }
  if (inSlash) {
    *error = "invalid field selector: invalid escape sequence: \\";
    return std::nullopt;
  }
  return out;
}

const nlohmann::json* lookup(const nlohmann::json& object, std::string_view dotted) {
  const nlohmann::json* at = &object;
  size_t start = 0;
  while (true) {
    size_t dot = dotted.find('.', start);
    std::string key(dotted.substr(start, dot == std::string_view::npos ? dotted.npos : dot - start));
    if (!at->is_object()) return nullptr;
    auto it = at->find(key);
    if (it == at->end()) return nullptr;
    at = &*it;
    if (dot == std::string_view::npos) return at;
    start = dot + 1;
  }
}

std::string stringField(const nlohmann::json& object, std::string_view dotted) {
  const nlohmann::json* v = lookup(object, dotted);
  if (v == nullptr || v->is_null()) return "";
  if (v->is_string()) return v->get<std::string>();
  return v->dump();
}

// The value of a selectable field as the API server's GetAttrs computes it.
std::string selectableValue(const nlohmann::json& object, const std::string& field) {
  if (field == "spec.unschedulable" || field == "spec.hostNetwork") {
    const nlohmann::json* v = lookup(object, field);
    return v && v->is_boolean() && v->get<bool>() ? "true" : "false";
  }
  if (field == "status.podIPs") {
    std::string out;
    const nlohmann::json* ips = lookup(object, field);
    if (ips && ips->is_array()) {
      for (const auto& ip : *ips) {
        if (!out.empty()) out += ",";
        out += stringField(ip, "ip");
      }
    }
    return out;
  }
  if (field == "source") {  // an Event's source.component, else its reporting controller
    std::string component = stringField(object, "source.component");
    return component.empty() ? stringField(object, "reportingComponent") : component;
  }
  return stringField(object, field);
}

}  // namespace

std::optional<FieldSelector> FieldSelector::parse(const KindInfo& kind, std::string_view text,
                                                  std::string* error) {
  std::string scratch;
  if (error == nullptr) error = &scratch;
  std::vector<std::string> parts = splitTerms(text);
  std::sort(parts.begin(), parts.end());
  FieldSelector out;
  for (const auto& part : parts) {
    if (part.empty()) continue;
    std::string lhs, op, rhs;
    if (!splitTerm(part, &lhs, &op, &rhs)) {
      *error = "invalid selector: '" + std::string(text) + "'; can't understand '" + part + "'";
      return std::nullopt;
    }
    auto value = unescapeValue(rhs, error);
    if (!value) return std::nullopt;
    out.terms_.push_back(Term{lhs, op == "!=", *value});
  }
  // Conversion happens after the whole selector parsed, as Transform does in Go.
  for (auto& term : out.terms_) {
    auto field = convertFieldLabel(kind, term.field, error);
    if (!field) return std::nullopt;
    term.field = *field;
  }
  return out;
}

bool FieldSelector::matches(const nlohmann::json& object) const {
  for (const auto& term : terms_) {
    bool equal = selectableValue(object, term.field) == term.value;
    if (equal == term.negated) return false;
  }
  return true;
}

}  // namespace minik
