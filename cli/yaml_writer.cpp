#include "cli/yaml_writer.h"

#include <algorithm>
#include <vector>

#include "cli/go_json.h"
#include "cli/yaml_to_json.h"

namespace minik {

namespace {

using json = nlohmann::json;

const int kBestWidth = 80;

std::vector<unsigned> codePoints(const std::string& s) {
  std::vector<unsigned> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    unsigned cp;
    size_t n;
    if (c < 0x80) cp = c, n = 1;
    else if ((c & 0xE0) == 0xC0) cp = c & 0x1F, n = 2;
    else if ((c & 0xF0) == 0xE0) cp = c & 0x0F, n = 3;
    else cp = c & 0x07, n = 4;
    for (size_t k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

bool isLetter(unsigned c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0xAA; }
bool isDigitCp(unsigned c) { return c >= '0' && c <= '9'; }

// go-yaml v2's keyList.Less for string keys.
bool keyLess(const std::string& a, const std::string& b) {
  std::vector<unsigned> ar = codePoints(a), br = codePoints(b);
  for (size_t i = 0; i < ar.size() && i < br.size(); ++i) {
    if (ar[i] == br[i]) continue;
    bool al = isLetter(ar[i]), bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    long long an = 0, bn = 0;
    if (ar[i] == '0' || br[i] == '0') {
      for (long j = static_cast<long>(i) - 1; j >= 0 && isDigitCp(ar[j]); --j) {
        if (ar[j] != '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    size_t ai = i, bi = i;
    for (; ai < ar.size() && isDigitCp(ar[ai]); ++ai) an = an * 10 + (ar[ai] - '0');
    for (; bi < br.size() && isDigitCp(br[bi]); ++bi) bn = bn * 10 + (br[bi] - '0');
    if (an != bn) return an < bn;
    if (ai != bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.size() < br.size();
}

bool isPrintable(unsigned c) {
  return c == 0x0A || (c >= 0x20 && c <= 0x7E) || c == 0x85 || (c >= 0xA0 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF) || (c >= 0x10000 && c <= 0x10FFFF);
}

bool isBreak(unsigned c) { return c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029; }
bool isBlankOrEnd(const std::vector<unsigned>& s, size_t i) {
  return i >= s.size() || s[i] == ' ' || s[i] == '\t' || isBreak(s[i]);
}

struct Analysis {
  bool blockPlainAllowed = true;
  bool singleQuotedAllowed = true;
  bool blockAllowed = true;
};

// libyaml's yaml_emitter_analyze_scalar, for block context.
Analysis analyze(const std::string& text) {
  Analysis a;
  std::vector<unsigned> s = codePoints(text);
  if (s.empty()) {
    a.blockPlainAllowed = false;
    return a;
  }
  bool blockIndicators = false, leadingSpace = false, leadingBreak = false, trailingSpace = false,
       trailingBreak = false, breakSpace = false, spaceBreak = false, previousSpace = false,
       previousBreak = false, special = false, lineBreaks = false;
  if (text.compare(0, 3, "---") == 0 || text.compare(0, 3, "...") == 0) blockIndicators = true;
  bool precededByWhitespace = true;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned c = s[i];
    bool followedByWhitespace = isBlankOrEnd(s, i + 1);
    if (i == 0) {
      if (std::string("#,[]{}&*!|>'\"%@`").find(static_cast<char>(c)) != std::string::npos && c < 0x80) {
        blockIndicators = true;
      }
      if ((c == '?' || c == ':' || c == '-') && followedByWhitespace) blockIndicators = true;
    } else {
      if (c == ':' && followedByWhitespace) blockIndicators = true;
      if (c == '#' && precededByWhitespace) blockIndicators = true;
    }
    if (!isPrintable(c)) special = true;
    if (isBreak(c)) lineBreaks = true;
    if (c == ' ') {
      if (i == 0) leadingSpace = true;
      if (i + 1 == s.size()) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      if (i == 0) leadingBreak = true;
      if (i + 1 == s.size()) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousBreak = true;
      previousSpace = false;
    } else {
      previousSpace = previousBreak = false;
    }
    precededByWhitespace = c == ' ' || c == '\t' || isBreak(c);
  }
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.blockPlainAllowed = false;
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) a.blockPlainAllowed = a.singleQuotedAllowed = false;
  if (spaceBreak || special) a.blockPlainAllowed = a.singleQuotedAllowed = a.blockAllowed = false;
  if (lineBreaks) a.blockPlainAllowed = false;
  if (blockIndicators) a.blockPlainAllowed = false;
  return a;
}

// go-yaml's isBase60Float: ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
bool isBase60Float(const std::string& s) {
  size_t i = 0, n = s.size();
  if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
  if (i >= n || !isDigitCp(s[i])) return false;
  ++i;
  while (i < n && (isDigitCp(s[i]) || s[i] == '_')) ++i;
  int groups = 0;
  while (i < n && s[i] == ':') {
    ++i;
    size_t start = i;
    while (i < n && isDigitCp(s[i]) && i - start < 2) ++i;
    size_t len = i - start;
    if (len == 0 || (len == 2 && s[start] > '5')) return false;
    ++groups;
  }
  if (groups == 0) return false;
  if (i < n && s[i] == '.') {
    ++i;
    while (i < n && (isDigitCp(s[i]) || s[i] == '_')) ++i;
  }
  return i == n;
}

class Writer {
 public:
  std::string out;

  void value(const json& v, int indent) {
    // Called after "key:" or "- ": scalars and empty collections go on the
    // same line, others below.
    if (v.is_object() && !v.empty()) {
      newline();
      mapping(v, indent);
    } else if (v.is_array() && !v.empty()) {
      newline();
      sequence(v, indent);
    } else {
      put(" ");
      scalar(v, indent, false);
    }
  }

  void mapping(const json& v, int indent) {
    std::vector<std::string> keys;
    for (auto it = v.begin(); it != v.end(); ++it) keys.push_back(it.key());
    for (size_t i = 1; i < keys.size(); ++i) {  // insertion sort: small maps, small code
      for (size_t j = i; j > 0 && keyLess(keys[j], keys[j - 1]); --j) std::swap(keys[j], keys[j - 1]);
    }
    bool first = true;
    for (const auto& key : keys) {
      if (!first || column_ != indent) pad(indent);
      first = false;
      string(key, indent, true);
      put(":");
      const json& child = v[key];
      value(child, child.is_array() ? indent : indent + 2);
    }
  }

  void sequence(const json& v, int indent) {
    bool first = true;
    for (const auto& item : v) {
      if (!first || column_ != indent) pad(indent);
      first = false;
      put("-");
      if ((item.is_object() || item.is_array()) && !item.empty()) {
        put(" ");
        if (item.is_object()) mapping(item, indent + 2);
        else sequence(item, indent + 2);
      } else {
        put(" ");
        scalar(item, indent + 2, false);
      }
    }
  }

  void scalar(const json& v, int indent, bool key) {
    switch (v.type()) {
      case json::value_t::null: put("null"); break;
      case json::value_t::boolean: put(v.get<bool>() ? "true" : "false"); break;
      case json::value_t::number_integer:
      case json::value_t::number_unsigned: put(v.dump()); break;
      case json::value_t::number_float: {
        std::string f = goFloatG(v.get<double>());
        if (f == "+Inf") f = ".inf";
        else if (f == "-Inf") f = "-.inf";
        else if (f == "NaN") f = ".nan";
        put(f);
        break;
      }
      case json::value_t::string: string(v.get_ref<const std::string&>(), indent, key); break;
      case json::value_t::object: put("{}"); break;
      case json::value_t::array: put("[]"); break;
      default: put("null");
    }
  }

  void string(const std::string& s, int indent, bool key) {
    bool canUsePlain = plainScalarIsString(s) && !isBase60Float(s);
    Analysis a = analyze(s);
    if (s.find('\n') != std::string::npos) {
      if (a.blockAllowed && !key) return literal(s, indent);
      return doubleQuoted(s);
    }
    if (!canUsePlain) return doubleQuoted(s);
    if (a.blockPlainAllowed) return plain(s, indent, !key);
    if (a.singleQuotedAllowed) return singleQuoted(s, indent, !key);
    doubleQuoted(s);
  }

 private:
  int column_ = 0;

  void put(const std::string& text) {
    out += text;
    size_t nl = text.rfind('\n');
    column_ = nl == std::string::npos ? column_ + static_cast<int>(codePoints(text).size())
                                      : static_cast<int>(codePoints(text.substr(nl + 1)).size());
  }
  void newline() { put("\n"); }
  void pad(int indent) {
    if (column_ != 0) newline();
    put(std::string(indent, ' '));
  }

  // Spaces become line breaks past the best width, as libyaml folds.
  void folded(const std::string& s, int indent, bool allowBreaks, bool singleQuotes) {
    bool spaces = false;
    for (size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      if (c == ' ') {
        bool nextIsSpace = i + 1 < s.size() && s[i + 1] == ' ';
        if (allowBreaks && !spaces && column_ > kBestWidth && !nextIsSpace && i != 0 && i + 1 != s.size()) {
          newline();
          put(std::string(indent, ' '));
        } else {
          put(" ");
        }
        spaces = true;
      } else {
        if (singleQuotes && c == '\'') put("'");
        put(std::string(1, c));
        spaces = false;
      }
    }
  }

  void plain(const std::string& s, int indent, bool allowBreaks) { folded(s, indent, allowBreaks, false); }

  void singleQuoted(const std::string& s, int indent, bool allowBreaks) {
    put("'");
    folded(s, indent, allowBreaks, true);
    put("'");
  }

  void doubleQuoted(const std::string& s) {
    static const char kHex[] = "0123456789ABCDEF";
    std::string text = "\"";
    std::vector<unsigned> cps = codePoints(s);
    size_t byte = 0;
    for (unsigned c : cps) {
      size_t n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
      if (c == '"') text += "\\\"";
      else if (c == '\\') text += "\\\\";
      else if (c == '\n') text += "\\n";
      else if (c == '\t') text += "\\t";
      else if (c == '\r') text += "\\r";
      else if (c == 0) text += "\\0";
      else if (c == 0x85) text += "\\N";
      else if (c == 0xA0) text += "\\_";
      else if (c == 0x2028) text += "\\L";
      else if (c == 0x2029) text += "\\P";
      else if (!isPrintable(c) || c == 0xFEFF) {
        if (c <= 0xFF) text += std::string("\\x") + kHex[c >> 4] + kHex[c & 0xF];
        else {
          text += "\\u";
          for (int shift = 12; shift >= 0; shift -= 4) text += kHex[(c >> shift) & 0xF];
        }
      } else {
        text.append(s, byte, n);
      }
      byte += n;
    }
    text += "\"";
    put(text);
  }

  void literal(const std::string& s, int indent) {
    std::string header = "|";
    if (!s.empty() && (s[0] == ' ' || s[0] == '\n')) header += "2";
    size_t trailing = 0;
    while (trailing < s.size() && s[s.size() - 1 - trailing] == '\n') ++trailing;
    if (trailing == 0) header += "-";
    else if (trailing > 1 || trailing == s.size()) header += "+";
    put(header);
    std::string body = s;
    if (trailing > 0) body.erase(body.size() - 1);  // the last break ends the block
    size_t start = 0;
    while (true) {
      size_t nl = body.find('\n', start);
      std::string line = body.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      newline();
      if (!line.empty()) put(std::string(indent, ' ') + line);
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }
};

}  // namespace

std::string toYaml(const json& value) {
  Writer w;
  if (value.is_object() && !value.empty()) {
    w.mapping(value, 0);
  } else if (value.is_array() && !value.empty()) {
    w.sequence(value, 0);
  } else {
    w.scalar(value, 0, false);
  }
  w.out += "\n";
  return w.out;
}

}  // namespace minik
