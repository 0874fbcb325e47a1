#include "cli/jsonpath.h"

#include <memory>
#include <vector>

#include "cli/go_json.h"

namespace minik {

namespace {

using json = nlohmann::json;

struct JsonPathError {
  std::string message;
};

// One step of a path.
struct Step {
  enum Type { Field, Recursive, Index, Slice, Wildcard, Filter } type;
  std::string name;  // Field, Recursive (empty for "..*")
  long start = 0, end = 0, step = 1;
  bool hasStart = false, hasEnd = false;
  // Filter: left path relative to @, operator ("" for existence), right literal or path.
  std::vector<Step> left, rightPath;
  std::string op;
  json right;
  bool rightIsPath = false;
};

struct Path {
  bool fromRoot = false;  // "$": the template's root even inside range
  std::vector<Step> steps;
};

// A node of the template: text, a literal, a path, or a range with a body.
struct Node {
  enum Type { Text, Expr, Range } type;
  std::string text;
  Path path;
  std::vector<Node> body;
};

class Parser {
 public:
  explicit Parser(const std::string& expr) : s_(expr) {}

  Path parsePath() {
    Path path;
    skipSpaces();
    if (peek() == '$') {
      path.fromRoot = true;
      ++i_;
    } else if (peek() == '@') {
      ++i_;
    }
    path.steps = steps();
    skipSpaces();
    return path;
  }

  bool atEnd() {
    skipSpaces();
    return i_ >= s_.size();
  }

  size_t position() const { return i_; }

 private:
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  void skipSpaces() {
    while (i_ < s_.size() && s_[i_] == ' ') ++i_;
  }
  [[noreturn]] void fail(const std::string& what) { throw JsonPathError{what}; }

  std::string identifier() {
    size_t start = i_;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '.' || c == '[' || c == ' ' || c == ')' || c == '=' || c == '!' || c == '<' || c == '>' ||
          c == ',')
        break;
      ++i_;
    }
    return s_.substr(start, i_ - start);
  }

  std::string quoted() {
    char q = s_[i_++];
    std::string out;
    while (i_ < s_.size() && s_[i_] != q) {
      if (s_[i_] == '\\' && i_ + 1 < s_.size()) ++i_;
      out += s_[i_++];
    }
    if (i_ >= s_.size()) fail("unterminated string");
    ++i_;
    return out;
  }

  long number() {
    size_t start = i_;
    if (peek() == '-') ++i_;
    while (i_ < s_.size() && isdigit(static_cast<unsigned char>(s_[i_]))) ++i_;
    if (start == i_) fail("invalid array index");
    return std::stol(s_.substr(start, i_ - start));
  }

  std::vector<Step> steps() {
    std::vector<Step> out;
    while (i_ < s_.size()) {
      char c = peek();
      if (c == '.') {
        ++i_;
        Step step;
        if (peek() == '.') {
          ++i_;
          step.type = Step::Recursive;
          step.name = peek() == '*' ? (++i_, "") : identifier();
        } else if (peek() == '*') {
          ++i_;
          step.type = Step::Wildcard;
        } else {
          step.type = Step::Field;
          step.name = identifier();
          if (step.name.empty()) continue;  // a lone "." is the current object
        }
        out.push_back(std::move(step));
      } else if (c == '[') {
        ++i_;
        skipSpaces();
        out.push_back(bracket());
        skipSpaces();
        if (peek() != ']') fail("unterminated array");
        ++i_;
      } else {
        break;
      }
    }
    return out;
  }

  Step bracket() {
    Step step;
    char c = peek();
    if (c == '*') {
      ++i_;
      step.type = Step::Wildcard;
    } else if (c == '\'' || c == '"') {
      step.type = Step::Field;
      step.name = quoted();
    } else if (c == '?') {
      ++i_;
      if (peek() != '(') fail("unrecognized filter");
      ++i_;
      step.type = Step::Filter;
      skipSpaces();
      if (peek() != '@') fail("unrecognized filter");
      ++i_;
      step.left = steps();
      skipSpaces();
      if (peek() != ')') {
        size_t start = i_;
        while (i_ < s_.size() && (s_[i_] == '=' || s_[i_] == '!' || s_[i_] == '<' || s_[i_] == '>')) ++i_;
        step.op = s_.substr(start, i_ - start);
        if (step.op != "==" && step.op != "!=" && step.op != "<" && step.op != ">" && step.op != "<=" &&
            step.op != ">=") {
          fail("unrecognized filter operator");
        }
        skipSpaces();
        char r = peek();
        if (r == '\'' || r == '"') {
          step.right = quoted();
        } else if (r == '@') {
          ++i_;
          step.rightIsPath = true;
          step.rightPath = steps();
        } else {
          size_t start2 = i_;
          while (i_ < s_.size() && s_[i_] != ')' && s_[i_] != ' ') ++i_;
          std::string literal = s_.substr(start2, i_ - start2);
          json parsed = json::parse(literal, nullptr, false);
          step.right = parsed.is_discarded() ? json(literal) : parsed;
        }
        skipSpaces();
      }
      if (peek() != ')') fail("unterminated filter");
      ++i_;
    } else {
      bool hasStart = c != ':';
      long start = hasStart ? number() : 0;
      skipSpaces();
      if (peek() != ':') {
        step.type = Step::Index;
        step.start = start;
        return step;
      }
      step.type = Step::Slice;
      step.hasStart = hasStart;
      step.start = start;
      ++i_;
      skipSpaces();
      if (peek() != ']' && peek() != ':') {
        step.end = number();
        step.hasEnd = true;
      }
      if (peek() == ':') {
        ++i_;
        if (peek() != ']') step.step = number();
      }
    }
    return step;
  }

  const std::string& s_;
  size_t i_ = 0;
};

void collectRecursive(const json& v, const std::string& name, std::vector<json>& out) {
  if (v.is_object()) {
    if (name.empty()) {
      for (const auto& child : v) out.push_back(child);
    } else if (v.contains(name)) {
      out.push_back(v[name]);
    }
    for (const auto& child : v) collectRecursive(child, name, out);
  } else if (v.is_array()) {
    for (const auto& child : v) collectRecursive(child, name, out);
  }
}

std::vector<json> evaluate(const std::vector<Step>& steps, std::vector<json> current);

bool compare(const json& a, const std::string& op, const json& b) {
  if (op == "==") return a == b;
  if (op == "!=") return a != b;
  if (a.is_number() && b.is_number()) {
    double x = a.get<double>(), y = b.get<double>();
    if (op == "<") return x < y;
    if (op == ">") return x > y;
    if (op == "<=") return x <= y;
    return x >= y;
  }
  if (a.is_string() && b.is_string()) {
    const auto& x = a.get_ref<const std::string&>();
    const auto& y = b.get_ref<const std::string&>();
    if (op == "<") return x < y;
    if (op == ">") return x > y;
    if (op == "<=") return x <= y;
    return x >= y;
  }
  return false;
}

std::vector<json> applyStep(const Step& step, const json& v) {
  std::vector<json> out;
  switch (step.type) {
    case Step::Field:
      if (v.is_object() && v.contains(step.name)) out.push_back(v[step.name]);
      break;
    case Step::Recursive:
      collectRecursive(v, step.name, out);
      break;
    case Step::Wildcard:
      if (v.is_array() || v.is_object()) {
        for (const auto& child : v) out.push_back(child);
      }
      break;
    case Step::Index: {
      if (!v.is_array()) break;
      long n = static_cast<long>(v.size());
      long i = step.start < 0 ? step.start + n : step.start;
      if (i < 0 || i >= n) throw JsonPathError{"array index out of bounds: index " + std::to_string(step.start) +
                                               ", length " + std::to_string(n)};
      out.push_back(v[i]);
      break;
    }
    case Step::Slice: {
      if (!v.is_array()) break;
      long n = static_cast<long>(v.size());
      long start = step.hasStart ? step.start : 0, end = step.hasEnd ? step.end : n;
      if (start < 0) start += n;
      if (end < 0) end += n;
      start = std::max(0L, std::min(start, n));
      end = std::max(0L, std::min(end, n));
      long stride = step.step > 0 ? step.step : 1;
      for (long i = start; i < end; i += stride) out.push_back(v[i]);
      break;
    }
    case Step::Filter: {
      if (!v.is_array()) break;
      for (const auto& item : v) {
        std::vector<json> left = evaluate(step.left, {item});
        if (step.op.empty()) {
          if (!left.empty()) out.push_back(item);
          continue;
        }
        json right = step.right;
        if (step.rightIsPath) {
          std::vector<json> r = evaluate(step.rightPath, {item});
          if (r.empty()) continue;
          right = r[0];
        }
        for (const auto& l : left) {
          if (compare(l, step.op, right)) {
            out.push_back(item);
            break;
          }
        }
      }
      break;
    }
  }
  return out;
}

std::vector<json> evaluate(const std::vector<Step>& steps, std::vector<json> current) {
  for (const auto& step : steps) {
    std::vector<json> next;
    for (const auto& v : current) {
      for (auto& r : applyStep(step, v)) next.push_back(std::move(r));
    }
    current = std::move(next);
  }
  return current;
}

std::string printValue(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object() || v.is_array()) return goJsonCompact(v);
  if (v.is_null()) return "<nil>";
  if (v.is_number_float()) return goFloatG(v.get<double>());
  return v.dump();
}

// Splits "text{expr}text{range ...}...{end}" into nodes.
std::vector<Node> parseTemplate(const std::string& text, size_t& pos, bool inRange) {
  std::vector<Node> nodes;
  while (pos < text.size()) {
    size_t open = text.find('{', pos);
    if (open == std::string::npos) {
      nodes.push_back({Node::Text, text.substr(pos), {}, {}});
      pos = text.size();
      break;
    }
    if (open > pos) nodes.push_back({Node::Text, text.substr(pos, open - pos), {}, {}});
    // The closing brace, outside quotes.
    size_t close = open + 1;
    char quote = 0;
    for (; close < text.size(); ++close) {
      char c = text[close];
      if (quote) {
        if (c == '\\') ++close;
        else if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '}') {
        break;
      }
    }
    if (close >= text.size()) throw JsonPathError{"unclosed action"};
    std::string inner = text.substr(open + 1, close - open - 1);
    pos = close + 1;
    size_t first = inner.find_first_not_of(' ');
    std::string trimmed = first == std::string::npos ? "" : inner.substr(first);
    while (!trimmed.empty() && trimmed.back() == ' ') trimmed.pop_back();
    if (trimmed == "end") {
      if (!inRange) throw JsonPathError{"not in range, nothing to end"};
      return nodes;
    }
    if (trimmed.rfind("range ", 0) == 0 || trimmed.rfind("range\t", 0) == 0) {
      Node range{Node::Range, "", {}, {}};
      std::string expr = trimmed.substr(6);
      Parser p(expr);
      range.path = p.parsePath();
      if (!p.atEnd()) throw JsonPathError{"unrecognized character in action: " + expr.substr(p.position())};
      range.body = parseTemplate(text, pos, true);
      nodes.push_back(std::move(range));
      continue;
    }
    if (!trimmed.empty() && (trimmed[0] == '"' || trimmed[0] == '\'')) {
      // A string literal, with Go's escapes.
      std::string literal;
      for (size_t k = 1; k + 1 < trimmed.size(); ++k) {
        char c = trimmed[k];
        if (c == '\\' && k + 2 < trimmed.size()) {
          char e = trimmed[++k];
          literal += e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
        } else {
          literal += c;
        }
      }
      nodes.push_back({Node::Text, literal, {}, {}});
      continue;
    }
    Parser p(trimmed);
    Node expr{Node::Expr, "", p.parsePath(), {}};
    if (!p.atEnd()) throw JsonPathError{"unrecognized character in action: " + trimmed.substr(p.position())};
    nodes.push_back(std::move(expr));
  }
  if (inRange) throw JsonPathError{"range without end"};
  return nodes;
}

void run(const std::vector<Node>& nodes, const json& root, const json& current, std::string& out) {
  for (const auto& node : nodes) {
    if (node.type == Node::Text) {
      out += node.text;
      continue;
    }
    std::vector<json> results = evaluate(node.path.steps, {node.path.fromRoot ? root : current});
    if (node.type == Node::Range) {
      for (const auto& r : results) {
        // Ranging over one list means over its items.
        if (r.is_array()) {
          for (const auto& item : r) run(node.body, root, item, out);
        } else {
          run(node.body, root, r, out);
        }
      }
      continue;
    }
    for (size_t i = 0; i < results.size(); ++i) {
      if (i) out += ' ';
      out += printValue(results[i]);
    }
  }
}

}  // namespace

bool executeJsonPath(const std::string& text, const json& root, std::string* out, std::string* error) {
  try {
    size_t pos = 0;
    std::vector<Node> nodes = parseTemplate(text, pos, false);
    out->clear();
    run(nodes, root, root, *out);
    return true;
  } catch (const JsonPathError& e) {
    *error = "error parsing jsonpath " + text + ", " + e.message;
    return false;
  }
}

}  // namespace minik
