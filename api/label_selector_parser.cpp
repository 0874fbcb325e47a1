// LabelSelector::parse — a port of the lexer and recursive-descent parser of
// k8s.io/apimachinery/pkg/labels (selector.go), so that what kubectl sends is
// accepted, rejected and explained exactly as the Kubernetes API server does.
#include <algorithm>
#include <set>

#include "api/label_requirement.h"
#include "api/labels.h"

namespace minik {

namespace {

enum class Token {
  Error, EndOfString, ClosedPar, Comma, DoesNotExist, DoubleEquals, Equals, GreaterThan,
  Identifier, In, LessThan, NotEquals, NotIn, OpenPar
};

struct Scanned {
  Token token;
  std::string literal;
};

std::optional<Token> keywordToken(std::string_view s) {
  if (s == ")") return Token::ClosedPar;
  if (s == ",") return Token::Comma;
  if (s == "!") return Token::DoesNotExist;
  if (s == "==") return Token::DoubleEquals;
  if (s == "=") return Token::Equals;
  if (s == ">") return Token::GreaterThan;
  if (s == "in") return Token::In;
  if (s == "<") return Token::LessThan;
  if (s == "!=") return Token::NotEquals;
  if (s == "notin") return Token::NotIn;
  if (s == "(") return Token::OpenPar;
  return std::nullopt;
}

bool isWhitespace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool isSpecialSymbol(char c) {
  return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
}

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  Scanned lex() {
    char c = read();
    while (isWhitespace(c)) c = read();
    if (c == 0) return {Token::EndOfString, ""};
    unread();
    return isSpecialSymbol(c) ? scanSpecialSymbol() : scanIdOrKeyword();
  }

 private:
  // Go's lexer reads bytes and treats 0 as the end of input.
  char read() { return pos_ < s_.size() ? s_[pos_++] : '\0'; }
  void unread() { --pos_; }

  Scanned scanIdOrKeyword() {
    std::string buffer;
    while (true) {
      char c = read();
      if (c == 0) break;
      if (isSpecialSymbol(c) || isWhitespace(c)) {
        unread();
        break;
      }
      buffer += c;
    }
    if (auto t = keywordToken(buffer)) return {*t, buffer};
    return {Token::Identifier, buffer};
  }

  // Longest run of special symbols that still forms an operator ("!=", "==").
  Scanned scanSpecialSymbol() {
    std::string buffer;
    std::optional<Scanned> last;
    while (true) {
      char c = read();
      if (c == 0) break;
      if (!isSpecialSymbol(c)) {
        unread();
        break;
      }
      buffer += c;
      if (auto t = keywordToken(buffer)) {
        last = Scanned{*t, buffer};
      } else if (last) {
        unread();
        break;
      }
    }
    if (!last) return {Token::Error, "error expected: keyword found '" + buffer + "'"};
    return *last;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

// Where a token is read: "in"/"notin" are plain values inside a value list.
enum class Context { KeyAndOperator, Values };

struct ParseFailure {
  std::string message;
};

class Parser {
 public:
  explicit Parser(std::string_view text) {
    Lexer lexer(text);
    while (true) {
      items_.push_back(lexer.lex());
      if (items_.back().token == Token::EndOfString) break;
    }
  }

  std::vector<LabelSelector::Requirement> parse() {
    std::vector<LabelSelector::Requirement> out;
    while (true) {
      auto [tok, lit] = lookahead(Context::Values);
      switch (tok) {
        case Token::Identifier:
        case Token::DoesNotExist: {
          try {
            out.push_back(parseRequirement());
          } catch (const ParseFailure& f) {
            throw ParseFailure{"unable to parse requirement: " + f.message};
          }
          auto [t, l] = consume(Context::Values);
          if (t == Token::EndOfString) return out;
          if (t == Token::Comma) {
            auto [t2, l2] = lookahead(Context::Values);
            if (t2 != Token::Identifier && t2 != Token::DoesNotExist) {
              throw ParseFailure{"found '" + l2 + "', expected: identifier after ','"};
            }
            break;
          }
          throw ParseFailure{"found '" + l + "', expected: ',' or 'end of string'"};
        }
        case Token::EndOfString:
          return out;
        default:
          throw ParseFailure{"found '" + lit + "', expected: !, identifier, or 'end of string'"};
      }
    }
  }

 private:
  using Op = LabelSelector::Op;

  static Token inContext(Token t, Context c) {
    if (c == Context::Values && (t == Token::In || t == Token::NotIn)) return Token::Identifier;
    return t;
  }
  Scanned lookahead(Context c) const {
    const Scanned& s = items_[std::min(position_, items_.size() - 1)];
    return {inContext(s.token, c), s.literal};
  }
  Scanned consume(Context c) {
    Scanned s = lookahead(c);
    ++position_;
    return s;
  }

  LabelSelector::Requirement parseRequirement() {
    bool doesNotExist = false;
    Scanned first = consume(Context::Values);
    if (first.token == Token::DoesNotExist) {
      doesNotExist = true;
      first = consume(Context::Values);
    }
    const std::string& key = first.literal;
    if (first.token != Token::Identifier) throw ParseFailure{"found '" + key + "', expected: identifier"};
    if (auto e = labelKeyParseError(key)) throw ParseFailure{*e};
    Token next = lookahead(Context::Values).token;
    if (doesNotExist || next == Token::EndOfString || next == Token::Comma) {
      return build(key, doesNotExist ? Op::DoesNotExist : Op::Exists, {});
    }
    Op op = parseOperator();
    std::set<std::string> values =
        (op == Op::In || op == Op::NotIn) ? parseValues() : parseExactValue();
    return build(key, op, std::vector<std::string>(values.begin(), values.end()));
  }

  static LabelSelector::Requirement build(const std::string& key, Op op, std::vector<std::string> values) {
    std::string error;
    auto r = makeLabelRequirement(key, op, std::move(values), &error);
    if (!r) throw ParseFailure{error};
    return *r;
  }

  Op parseOperator() {
    auto [tok, lit] = consume(Context::KeyAndOperator);
    switch (tok) {
      case Token::In: return Op::In;
      case Token::Equals: return Op::Equals;
      case Token::DoubleEquals: return Op::Equals;
      case Token::GreaterThan: return Op::GreaterThan;
      case Token::LessThan: return Op::LessThan;
      case Token::NotIn: return Op::NotIn;
      case Token::NotEquals: return Op::NotEquals;
      default:
        throw ParseFailure{"found '" + lit + "', expected: in, notin, =, ==, !=, gt, lt"};
    }
  }

  std::set<std::string> parseValues() {
    auto [tok, lit] = consume(Context::Values);
    if (tok != Token::OpenPar) throw ParseFailure{"found '" + lit + "' expected: '('"};
    auto [next, nextLit] = lookahead(Context::Values);
    if (next == Token::Identifier || next == Token::Comma) {
      std::set<std::string> s = parseIdentifiersList();
      if (consume(Context::Values).token != Token::ClosedPar) {
        throw ParseFailure{"found '" + nextLit + "', expected: ')'"};
      }
      return s;
    }
    if (next == Token::ClosedPar) {  // "()" is the set of the empty value
      consume(Context::Values);
      return {""};
    }
    throw ParseFailure{"found '" + nextLit + "', expected: ',', ')' or identifier"};
  }

  std::set<std::string> parseIdentifiersList() {
    std::set<std::string> s;
    while (true) {
      auto [tok, lit] = consume(Context::Values);
      if (tok == Token::Identifier) {
        s.insert(lit);
        auto [t2, l2] = lookahead(Context::Values);
        if (t2 == Token::Comma) continue;
        if (t2 == Token::ClosedPar) return s;
        throw ParseFailure{"found '" + l2 + "', expected: ',' or ')'"};
      }
      if (tok == Token::Comma) {  // "(,", ",,", ",)" each stand for an empty value
        if (s.empty()) s.insert("");
        Token t2 = lookahead(Context::Values).token;
        if (t2 == Token::ClosedPar) {
          s.insert("");
          return s;
        }
        if (t2 == Token::Comma) s.insert("");
        continue;
      }
      throw ParseFailure{"found '" + lit + "', expected: ',', or identifier"};
    }
  }

  std::set<std::string> parseExactValue() {
    Token t = lookahead(Context::Values).token;
    if (t == Token::EndOfString || t == Token::Comma) return {""};
    auto [tok, lit] = consume(Context::Values);
    if (tok == Token::Identifier) return {lit};
    throw ParseFailure{"found '" + lit + "', expected: identifier"};
  }

  std::vector<Scanned> items_;
  size_t position_ = 0;
};

}  // namespace

std::optional<LabelSelector> LabelSelector::parse(std::string_view text, std::string* error) {
  try {
    LabelSelector out;
    out.requirements_ = Parser(text).parse();
    std::stable_sort(out.requirements_.begin(), out.requirements_.end(),
                     [](const Requirement& a, const Requirement& b) { return a.key < b.key; });
    return out;
  } catch (const ParseFailure& f) {
    if (error) *error = f.message;
    return std::nullopt;
  }
}

}  // namespace minik
