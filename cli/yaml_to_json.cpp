#include "cli/yaml_to_json.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace minik {

namespace {

using json = nlohmann::json;

struct ConversionError {
  std::string message;
};

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// strconv.ParseInt/ParseUint with base 0 (sign, 0x, 0o, 0b, leading-0 octal).
bool parseGoInt(const std::string& s, json* out) {
  if (s.empty()) return false;
  size_t i = 0;
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    i = 1;
  }
  int base = 10;
  if (s.size() - i > 1 && s[i] == '0') {
    char p = s[i + 1] | 0x20;
    if (p == 'x') base = 16, i += 2;
    else if (p == 'o') base = 8, i += 2;
    else if (p == 'b') base = 2, i += 2;
    else base = 8, i += 1;
  }
  if (i >= s.size()) return false;
  unsigned long long value = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    int d;
    if (isDigit(c)) d = c - '0';
    else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') d = (c | 0x20) - 'a' + 10;
    else return false;
    if (d >= base) return false;
    if (value > (~0ULL - d) / base) return false;
    value = value * base + d;
  }
  if (negative) {
    if (value > 9223372036854775808ULL) return false;
    *out = value == 9223372036854775808ULL ? INT64_MIN : -static_cast<int64_t>(value);
  } else if (value <= static_cast<unsigned long long>(INT64_MAX)) {
    *out = static_cast<int64_t>(value);
  } else {
    *out = static_cast<uint64_t>(value);
  }
  return true;
}

// A float64 as it reaches kubectl after the JSON round trip: whole numbers
// written without exponent by encoding/json come back as integers.
json floatValue(double f) {
  if (std::isfinite(f) && std::floor(f) == f && std::fabs(f) < 1e21 && std::fabs(f) <= 9.2e18) {
    return static_cast<int64_t>(f);
  }
  return f;
}

// Reads 1 to max digits at s[*i]; false when there are none.
bool digits(const std::string& s, size_t* i, size_t max, int* value) {
  size_t start = *i;
  *value = 0;
  while (*i < s.size() && *i - start < max && isDigit(s[*i])) *value = *value * 10 + (s[(*i)++] - '0');
  return *i > start;
}

// go-yaml v2's timestamp forms: "2006-1-2", optionally followed by
// [Tt ]15:4:5, fractional seconds and a zone. Decoded into interface{} they
// stay strings (go-yaml keeps them so for compatibility), but its printer
// quotes them.
bool isTimestamp(const std::string& s) {
  size_t i = 0;
  int year, month, day;
  if (!digits(s, &i, 4, &year) || i != 4 || i >= s.size() || s[i++] != '-') return false;
  if (!digits(s, &i, 2, &month) || i >= s.size() || s[i++] != '-' || !digits(s, &i, 2, &day)) return false;
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  if (i == s.size()) return true;
  if (s[i] == 'T' || s[i] == 't') {
    ++i;
  } else {
    size_t blanks = i;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i == blanks) return false;
  }
  int hour, minute, second;
  if (!digits(s, &i, 2, &hour) || i >= s.size() || s[i++] != ':' || !digits(s, &i, 2, &minute) ||
      i >= s.size() || s[i++] != ':' || !digits(s, &i, 2, &second)) {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && isDigit(s[i]); ++i) {
    }
  }
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  if (i < s.size() && s[i] == 'Z') {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    ++i;
    int zh, zm;
    if (!digits(s, &i, 2, &zh)) return false;
    if (i < s.size() && s[i] == ':' && (++i, !digits(s, &i, 2, &zm))) return false;
  }
  return i == s.size();
}

// go-yaml's yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool isYamlStyleFloat(const std::string& s) {
  size_t i = 0, n = s.size();
  if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
  size_t intStart = i;
  while (i < n && isDigit(s[i])) ++i;
  bool intDigits = i > intStart;
  if (i < n && s[i] == '.') {
    ++i;
    size_t fracStart = i;
    while (i < n && isDigit(s[i])) ++i;
    if (!intDigits && i == fracStart) return false;
  } else if (!intDigits) {
    return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    size_t expStart = i;
    while (i < n && isDigit(s[i])) ++i;
    if (i == expStart) return false;
  }
  return i == n;
}

json resolveTagged(const std::string& tag, const std::string& text) {
  if (tag == "tag:yaml.org,2002:str") return text;
  if (tag == "tag:yaml.org,2002:null") return nullptr;
  json plain = resolvePlainScalar(text);
  if (tag == "tag:yaml.org,2002:float" && plain.is_number()) return floatValue(plain.get<double>());
  return plain;
}

json convert(const YAML::Node& node, int depth);

std::string keyString(const YAML::Node& key) {
  if (key.IsScalar()) {
    if (key.Tag() != "?") return key.Scalar();  // quoted: always a string
    json v = resolvePlainScalar(key.Scalar());
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number_integer()) return v.dump();
    if (v.is_number_float()) {
      // strconv.FormatFloat(f, 'g', -1, 32), as sigs.k8s.io/yaml does.
      char buf[64];
      std::snprintf(buf, sizeof buf, "%g", static_cast<float>(v.get<double>()));
      return buf;
    }
  }
  if (key.IsNull()) throw ConversionError{"Unsupported map key of type: %!s(<nil>), key: <nil>"};
  throw ConversionError{"invalid map key: a map or a list cannot be a key"};
}

void mergeInto(json& target, const json& source) {
  if (!source.is_object()) {
    throw ConversionError{"map merge requires map or sequence of maps as the value"};
  }
  for (auto it = source.begin(); it != source.end(); ++it) {
    if (!target.contains(it.key())) target[it.key()] = it.value();
  }
}

json convert(const YAML::Node& node, int depth) {
  if (depth > 10000) throw ConversionError{"exceeded max depth of 10000"};
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return nullptr;
    case YAML::NodeType::Scalar: {
      const std::string& tag = node.Tag();
      if (tag == "!") return node.Scalar();  // quoted or block scalar
      if (tag == "?" || tag.empty()) return resolvePlainScalar(node.Scalar());
      return resolveTagged(tag, node.Scalar());
    }
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& item : node) out.push_back(convert(item, depth + 1));
      return out;
    }
    case YAML::NodeType::Map: {
      json out = json::object();
      json merged = json::object();
      for (const auto& entry : node) {
        const YAML::Node& key = entry.first;
        if (key.IsScalar() && key.Tag() == "?" && key.Scalar() == "<<") {
          json value = convert(entry.second, depth + 1);
          if (value.is_array()) {
            for (const auto& m : value) mergeInto(merged, m);
          } else {
            mergeInto(merged, value);
          }
          continue;
        }
        out[keyString(key)] = convert(entry.second, depth + 1);
      }
      for (auto it = merged.begin(); it != merged.end(); ++it) {
        if (!out.contains(it.key())) out[it.key()] = it.value();
      }
      return out;
    }
  }
  return nullptr;
}

// The 0-based number of the line where the text ends, as go-yaml's problem
// mark reads it when it runs into the end of the stream.
int endLine(const std::string& text) {
  int lines = 0;
  for (char c : text) lines += c == '\n';
  return lines;
}

std::string lineOf(const std::string& text, int line) {
  size_t start = 0;
  for (int i = 0; i < line && start != std::string::npos; ++i) {
    start = text.find('\n', start);
    if (start != std::string::npos) ++start;
  }
  if (start == std::string::npos || start > text.size()) return "";
  size_t end = text.find('\n', start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// The first line (0-based) whose indentation holds a tab, or -1.
int tabIndentedLine(const std::string& text, int upTo) {
  for (int line = 0; line <= upTo; ++line) {
    std::string l = lineOf(text, line);
    for (char c : l) {
      if (c == '\t') return line;
      if (c != ' ') break;
    }
  }
  return -1;
}

// yaml-cpp's words and marks, turned into go-yaml's. go-yaml prints a
// scanner error's 0-based line plus one and a parser error's 0-based line as
// is; the cases below follow what kubectl prints for the same input.
std::string goYamlMessage(const std::string& text, const YAML::Mark& mark, const std::string& msg) {
  auto at = [](int line, const std::string& what) {
    return "yaml: line " + std::to_string(line) + ": " + what;
  };
  int tabLine = tabIndentedLine(text, mark.line);
  if (tabLine >= 0) return at(tabLine + 1, "found character that cannot start any token");
  if (msg == YAML::ErrorMsg::END_OF_SEQ_FLOW) return at(endLine(text), "did not find expected ',' or ']'");
  if (msg == YAML::ErrorMsg::END_OF_MAP_FLOW) return at(endLine(text), "did not find expected ',' or '}'");
  if (msg == YAML::ErrorMsg::END_OF_MAP) return at(mark.line, "did not find expected key");
  if (msg == YAML::ErrorMsg::END_OF_SEQ) return at(mark.line, "did not find expected '-' indicator");
  if (msg == YAML::ErrorMsg::MAP_VALUE) return at(mark.line + 1, "mapping values are not allowed in this context");
  if (msg == YAML::ErrorMsg::BLOCK_ENTRY) {
    return at(mark.line + 1, "block sequence entries are not allowed in this context");
  }
  if (msg == YAML::ErrorMsg::EOF_IN_SCALAR) {
    return at(std::max(endLine(text) + 1, mark.line + 2), "found unexpected end of stream");
  }
  if (msg == YAML::ErrorMsg::UNKNOWN_TOKEN || msg == YAML::ErrorMsg::TAB_IN_INDENTATION) {
    return at(mark.line + 1, "found character that cannot start any token");
  }
  if (msg.rfind(YAML::ErrorMsg::INVALID_ESCAPE, 0) == 0) {
    return at(mark.line + 1, "found unknown escape character while parsing a quoted scalar");
  }
  if (msg == YAML::ErrorMsg::UNKNOWN_ANCHOR) {
    std::string l = lineOf(text, mark.line);
    size_t star = l.find('*', mark.column < l.size() ? mark.column : 0);
    if (star == std::string::npos) star = l.find('*');
    std::string name;
    for (size_t i = star == std::string::npos ? l.size() : star + 1; i < l.size(); ++i) {
      char c = l[i];
      if (c == ' ' || c == ',' || c == ']' || c == '}' || c == '\t') break;
      name += c;
    }
    return "yaml: unknown anchor '" + name + "' referenced";
  }
  if (msg == YAML::ErrorMsg::FLOW_END) return at(mark.line + 1, "did not find expected node content");
  return at(mark.line + 1, msg);
}

// The 0-based line where a quoted scalar opens and never closes, or -1.
// yaml-cpp accepts such a scalar when the document ends with a newline;
// go-yaml (and so kubectl) refuses it.
int unterminatedQuoteLine(const std::string& text) {
  int line = 0, blockIndent = -1;
  size_t i = 0, n = text.size();
  while (i < n) {
    size_t eol = text.find('\n', i);
    if (eol == std::string::npos) eol = n;
    size_t indent = i;
    while (indent < eol && text[indent] == ' ') ++indent;
    bool blank = indent == eol;
    if (blockIndent >= 0 && (blank || static_cast<int>(indent - i) > blockIndent)) {
      i = eol + 1;  // inside a | or > block: quotes are text
      ++line;
      continue;
    }
    blockIndent = -1;
    char previous = ' ';  // the last non-blank character before here on the line
    for (size_t k = indent; k < eol; ++k) {
      char c = text[k];
      if (c == '#' && (k == indent || text[k - 1] == ' ')) break;
      bool starts = previous == ' ' || previous == ':' || previous == '-' || previous == '[' ||
                    previous == '{' || previous == ',' || previous == '?';
      bool afterSpace = k == indent || text[k - 1] == ' ' || text[k - 1] == '[' || text[k - 1] == '{' ||
                        text[k - 1] == ',';
      if ((c == '"' || c == '\'') && starts && afterSpace) {
        int startLine = line;
        size_t j = k + 1;
        bool closed = false;
        for (; j < n; ++j) {
          if (text[j] == '\n') ++line;
          else if (c == '"' && text[j] == '\\') ++j;
          else if (text[j] == c) {
            if (c == '\'' && j + 1 < n && text[j + 1] == '\'') {
              ++j;
              continue;
            }
            closed = true;
            break;
          }
        }
        if (!closed) return startLine;
        k = j;
        if (text.find('\n', k) != eol) {  // the scalar ran over lines: go on from its end
          eol = text.find('\n', k);
          if (eol == std::string::npos) eol = n;
        }
        previous = 'x';
        continue;
      }
      if ((c == '|' || c == '>') && starts && afterSpace) {
        size_t rest = k + 1;
        while (rest < eol && text[rest] != ' ' && text[rest] != '#') ++rest;
        size_t after = rest;
        while (after < eol && text[after] == ' ') ++after;
        if (after == eol || text[after] == '#') {
          blockIndent = static_cast<int>(indent - i);
          break;
        }
      }
      if (c != ' ') previous = c;
    }
    i = eol + 1;
    ++line;
  }
  return -1;
}

}  // namespace

json resolvePlainScalar(const std::string& in) {
  static const char* const kTrue[] = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
  static const char* const kFalse[] = {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};
  static const char* const kNull[] = {"", "~", "null", "Null", "NULL"};
  for (const char* t : kTrue) if (in == t) return true;
  for (const char* f : kFalse) if (in == f) return false;
  for (const char* n : kNull) if (in == n) return nullptr;
  char first = in[0];
  if (!(isDigit(first) || first == '+' || first == '-' || first == '.')) return in;
  if (in == ".nan" || in == ".NaN" || in == ".NAN") return std::nan("");
  for (const char* inf : {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}) {
    if (in == inf) return HUGE_VAL;
  }
  for (const char* inf : {"-.inf", "-.Inf", "-.INF"}) {
    if (in == inf) return -HUGE_VAL;
  }
  std::string plain;
  for (char c : in) if (c != '_') plain += c;
  json number;
  if (parseGoInt(plain, &number)) return number;
  if (isYamlStyleFloat(plain)) {
    errno = 0;
    double f = std::strtod(plain.c_str(), nullptr);
    if (errno != ERANGE) return floatValue(f);
  }
  return in;
}

bool plainScalarIsString(const std::string& text) {
  if (text == "<<" || isTimestamp(text)) return false;
  return resolvePlainScalar(text).is_string();
}

bool yamlToJson(const std::string& document, json* out, std::string* error) {
  try {
    YAML::Node node = YAML::Load(document);
    int quoteLine = unterminatedQuoteLine(document);
    if (quoteLine >= 0) {
      *error = "yaml: line " + std::to_string(std::max(endLine(document) + 1, quoteLine + 2)) +
               ": found unexpected end of stream";
      return false;
    }
    *out = convert(node, 0);
    if (out->is_number_float() && !std::isfinite(out->get<double>())) {
      *error = "json: unsupported value: " + std::string(std::isnan(out->get<double>()) ? "NaN" : "+Inf");
      return false;
    }
    return true;
  } catch (const YAML::ParserException& e) {
    *error = goYamlMessage(document, e.mark, e.msg);
  } catch (const YAML::Exception& e) {
    *error = goYamlMessage(document, e.mark, e.msg);
  } catch (const ConversionError& e) {
    *error = e.message;
  }
  return false;
}

}  // namespace minik
