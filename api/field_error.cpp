#include "api/field_error.h"

#include <cmath>
#include <cstdio>
#include <set>

#include <nlohmann/json.hpp>

namespace minik {

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when invalid.
size_t utf8SequenceLength(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
  if (c >= 0xF5) n = 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return n;
}

void appendHex(std::string& out, const char* prefix, unsigned value, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%s%0*x", prefix, digits, value);
  out += buf;
}

// Go's %v of a float64: shortest form, integral values without a fraction.
std::string goFloat(double d) {
  if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 1e21) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", d);
    return buf;
  }
  return nlohmann::json(d).dump();
}

bool allStrings(const nlohmann::json& v) {
  for (const auto& item : v) {
    if (!item.is_string()) return false;
  }
  return true;
}

FieldError make(const char* reason, std::string path, std::string message) {
  return FieldError{reason, std::move(path), std::move(message)};
}

std::string withDetail(std::string body, std::string_view detail) {
  if (!detail.empty()) {
    body += ": ";
    body += detail;
  }
  return body;
}

}  // namespace

std::string describe(const FieldError& error) { return error.field + ": " + error.message; }

std::string describeAll(const FieldErrors& errors) {
  std::vector<std::string> lines;
  std::set<std::string> seen;
  for (const auto& e : errors) {
    std::string line = describe(e);
    if (seen.insert(line).second) lines.push_back(std::move(line));
  }
  if (lines.empty()) return "";
  if (lines.size() == 1) return lines[0];
  std::string out = "[";
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i) out += ", ";
    out += lines[i];
  }
  return out + "]";
}

std::string quoteGo(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\a': out += "\\a"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\v': out += "\\v"; break;
        default:
          if (c < 0x20 || c == 0x7F) appendHex(out, "\\x", c, 2);
          else out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    size_t n = utf8SequenceLength(s, i);
    if (n == 0) {
      appendHex(out, "\\x", c, 2);  // Go escapes each byte of invalid UTF-8
      ++i;
      continue;
    }
    // C1 controls (U+0080..U+009F) are not printable: Go writes \u0080.
    if (n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) {
      appendHex(out, "\\u", static_cast<unsigned char>(s[i + 1]), 4);
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return out + "\"";
}

BadValue BadValue::of(const nlohmann::json& v) {
  if (v.is_string()) return quoted(v.get_ref<const std::string&>());
  if (v.is_null()) return {"null"};
  if (v.is_boolean()) return {v.get<bool>() ? "true" : "false"};
  if (v.is_number_integer() || v.is_number_unsigned()) return {v.dump()};
  if (v.is_number_float()) return {goFloat(v.get<double>())};
  if (v.is_object() && allStrings(v)) return stringMap(&v);
  if (v.is_array() && allStrings(v)) return stringList(&v);
  return {v.dump()};
}

BadValue BadValue::stringMap(const nlohmann::json* v) {
  if (v == nullptr || v->is_null()) return {"map[string]string(nil)"};
  if (!v->is_object()) return of(*v);
  std::string out = "map[string]string{";
  bool first = true;
  for (const auto& [key, value] : v->items()) {  // nlohmann objects iterate in key order, as %#v sorts
    if (!first) out += ", ";
    first = false;
    out += quoteGo(key) + ":" + (value.is_string() ? quoteGo(value.get_ref<const std::string&>()) : value.dump());
  }
  return {out + "}"};
}

BadValue BadValue::stringList(const nlohmann::json* v) {
  if (v == nullptr || v->is_null()) return {"[]string(nil)"};
  if (!v->is_array()) return of(*v);
  std::string out = "[]string{";
  for (size_t i = 0; i < v->size(); ++i) {
    if (i) out += ", ";
    const auto& item = (*v)[i];
    out += item.is_string() ? quoteGo(item.get_ref<const std::string&>()) : item.dump();
  }
  return {out + "}"};
}

FieldError requiredError(std::string path, std::string_view detail) {
  return make("FieldValueRequired", std::move(path), withDetail("Required value", detail));
}

FieldError invalidError(std::string path, const BadValue& value, std::string_view detail) {
  return make("FieldValueInvalid", std::move(path), withDetail("Invalid value: " + value.text, detail));
}

FieldError notSupportedError(std::string path, const BadValue& value,
                             const std::vector<std::string>& supported) {
  std::string detail;
  if (!supported.empty()) {
    detail = "supported values: ";
    for (size_t i = 0; i < supported.size(); ++i) {
      if (i) detail += ", ";
      detail += quoteGo(supported[i]);
    }
  }
  return make("FieldValueNotSupported", std::move(path),
              withDetail("Unsupported value: " + value.text, detail));
}

FieldError duplicateError(std::string path, const BadValue& value) {
  return make("FieldValueDuplicate", std::move(path), "Duplicate value: " + value.text);
}

FieldError forbiddenError(std::string path, std::string_view detail) {
  return make("FieldValueForbidden", std::move(path), withDetail("Forbidden", detail));
}

FieldError notFoundError(std::string path, const BadValue& value) {
  return make("FieldValueNotFound", std::move(path), "Not found: " + value.text);
}

FieldError tooLongError(std::string path, long long maxBytes) {
  return make("FieldValueTooLong", std::move(path),
              "Too long: must have at most " + std::to_string(maxBytes) + " bytes");
}

FieldError typeInvalidError(std::string path, const BadValue& value, std::string_view detail) {
  return make("FieldValueTypeInvalid", std::move(path), withDetail("Invalid value: " + value.text, detail));
}

}  // namespace minik
