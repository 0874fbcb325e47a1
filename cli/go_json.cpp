#include "cli/go_json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace minik {

namespace {

using json = nlohmann::json;

// Length of the UTF-8 sequence starting at s[i], or 0 when it is invalid.
size_t utf8Length(const std::string& s, size_t i, unsigned* codePoint) {
  unsigned char c = s[i];
  size_t n;
  unsigned cp;
  if (c < 0x80) { *codePoint = c; return 1; }
  if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; }
  else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; }
  else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    unsigned char cc = s[i + k];
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  // Overlong forms and surrogates are invalid, as Go's utf8 package says.
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  *codePoint = cp;
  return n;
}

void writeString(std::string& out, const std::string& s) {
  static const char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
          if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    unsigned cp = 0;
    size_t n = utf8Length(s, i, &cp);
    if (n == 0) {
      out += "\\ufffd";
      ++i;
    } else if (cp == 0x2028 || cp == 0x2029) {
      out += cp == 0x2028 ? "\\u2028" : "\\u2029";
      i += n;
    } else {
      out.append(s, i, n);
      i += n;
    }
  }
  out += '"';
}

// The shortest decimal digits that read back as f (as strconv's shortest
// mode finds them), with the exponent of the first digit: 1234.5 is
// "12345", 3. snprintf keeps this small: std::to_chars brings 120 KB of
// tables into the static binary.
void shortestDigits(double f, std::string* digits, int* exponent) {
  char buf[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, f);
    if (std::strtod(buf, nullptr) == f) break;
  }
  // buf: "-d.ddde+XX"
  const char* p = buf;
  if (*p == '-') ++p;
  digits->clear();
  for (; *p && *p != 'e'; ++p) {
    if (*p != '.') *digits += *p;
  }
  *exponent = *p == 'e' ? std::atoi(p + 1) : 0;
  while (digits->size() > 1 && digits->back() == '0') digits->pop_back();
}

// strconv.FormatFloat(f, fmt, -1, 64) for fmt 'f' and 'e'.
std::string formatShortest(double f, bool exponentForm) {
  if (f == 0) return std::signbit(f) ? "-0" : "0";
  std::string digits;
  int exp10;
  shortestDigits(f, &digits, &exp10);
  std::string out = f < 0 ? "-" : "";
  if (exponentForm) {
    out += digits[0];
    if (digits.size() > 1) out += "." + digits.substr(1);
    char e[8];
    std::snprintf(e, sizeof e, "e%c%02d", exp10 < 0 ? '-' : '+', std::abs(exp10));
    return out + e;
  }
  if (exp10 < 0) return out + "0." + std::string(-exp10 - 1, '0') + digits;
  if (static_cast<int>(digits.size()) <= exp10 + 1) return out + digits + std::string(exp10 + 1 - digits.size(), '0');
  return out + digits.substr(0, exp10 + 1) + "." + digits.substr(exp10 + 1);
}

// encoding/json's floatEncoder: 'f' between 1e-6 and 1e21, else 'e' with the
// exponent's leading zero dropped ("1e-07" -> "1e-7").
void writeFloat(std::string& out, double f) {
  double a = std::fabs(f);
  bool exponent = a != 0 && (a < 1e-6 || a >= 1e21);
  std::string text = formatShortest(f, exponent);
  if (exponent) {
    size_t n = text.size();
    if (n >= 4 && text[n - 4] == 'e' && text[n - 3] == '-' && text[n - 2] == '0') text.erase(n - 2, 1);
  }
  out += text;
}

void write(std::string& out, const json& v, const std::string* indent, int depth) {
  auto newline = [&](int d) {
    out += '\n';
    for (int k = 0; k < d; ++k) out += *indent;
  };
  switch (v.type()) {
    case json::value_t::null: out += "null"; break;
    case json::value_t::boolean: out += v.get<bool>() ? "true" : "false"; break;
    case json::value_t::number_integer: out += std::to_string(v.get<int64_t>()); break;
    case json::value_t::number_unsigned: out += std::to_string(v.get<uint64_t>()); break;
    case json::value_t::number_float: writeFloat(out, v.get<double>()); break;
    case json::value_t::string: writeString(out, v.get_ref<const std::string&>()); break;
    case json::value_t::array: {
      if (v.empty()) { out += "[]"; break; }
      out += '[';
      bool first = true;
      for (const auto& item : v) {
        if (!first) out += ',';
        first = false;
        if (indent) newline(depth + 1);
        write(out, item, indent, depth + 1);
      }
      if (indent) newline(depth);
      out += ']';
      break;
    }
    case json::value_t::object: {
      if (v.empty()) { out += "{}"; break; }
      out += '{';
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out += ',';
        first = false;
        if (indent) newline(depth + 1);
        writeString(out, it.key());
        out += indent ? ": " : ":";
        write(out, it.value(), indent, depth + 1);
      }
      if (indent) newline(depth);
      out += '}';
      break;
    }
    default: out += "null"; break;
  }
}

}  // namespace

std::string goJsonCompact(const json& value) {
  std::string out;
  write(out, value, nullptr, 0);
  return out;
}

std::string goJsonIndented(const json& value, const std::string& indent) {
  std::string out;
  write(out, value, &indent, 0);
  return out;
}

std::string goFloatG(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // strconv 'g' with the shortest precision decides on precision 6: exponent
  // form when the decimal exponent is < -4 or >= 6 ("1e+06"), else digits.
  double a = std::fabs(value);
  return formatShortest(value, a != 0 && (a < 1e-4 || a >= 1e6));
}

}  // namespace minik
