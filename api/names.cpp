#include "api/names.h"

#include "api/validation_messages.h"

namespace minik {

namespace {

constexpr int kLabelMax = 63;
constexpr int kSubdomainMax = 253;

const char* kLabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const char* kLabelMsg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character";
const char* kSubdomainFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const char* kSubdomainMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character";
const char* kDns1035Fmt = "[a-z]([-a-z0-9]*[a-z0-9])?";
const char* kDns1035Msg =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character";
const char* kConfigKeyFmt = "[-._a-zA-Z0-9]+";
const char* kConfigKeyMsg = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";

bool isLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// [a-z0-9]([-a-z0-9]*[a-z0-9])?
bool matchesLabel(std::string_view v) {
  if (v.empty() || !isLowerAlnum(v.front()) || !isLowerAlnum(v.back())) return false;
  for (char c : v) {
    if (!isLowerAlnum(c) && c != '-') return false;
  }
  return true;
}

bool matchesSubdomain(std::string_view v) {
  size_t start = 0;
  while (true) {
    size_t dot = v.find('.', start);
    if (!matchesLabel(v.substr(start, dot == std::string_view::npos ? v.npos : dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

}  // namespace

std::vector<std::string> checkDns1123Label(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > kLabelMax) errs.push_back(maxLenMessage(kLabelMax));
  if (!matchesLabel(value)) {
    // A valid subdomain that is not a valid label can only be wrong by its dots.
    if (matchesSubdomain(value)) errs.push_back("must not contain dots");
    else errs.push_back(regexMessage(kLabelMsg, kLabelFmt, {"my-name", "123-abc"}));
  }
  return errs;
}

std::vector<std::string> checkDns1123Subdomain(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > kSubdomainMax) errs.push_back(maxLenMessage(kSubdomainMax));
  if (!matchesSubdomain(value)) errs.push_back(regexMessage(kSubdomainMsg, kSubdomainFmt, {"example.com"}));
  return errs;
}

std::vector<std::string> checkDns1035Label(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > kLabelMax) errs.push_back(maxLenMessage(kLabelMax));
  if (!matchesLabel(value) || !(value.front() >= 'a' && value.front() <= 'z')) {
    errs.push_back(regexMessage(kDns1035Msg, kDns1035Fmt, {"my-name", "abc-123"}));
  }
  return errs;
}

std::vector<std::string> checkConfigMapKey(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > kSubdomainMax) errs.push_back(maxLenMessage(kSubdomainMax));
  bool charsOk = !value.empty();
  for (char c : value) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '.' || c == '_';
    if (!ok) charsOk = false;
  }
  if (!charsOk) errs.push_back(regexMessage(kConfigKeyMsg, kConfigKeyFmt, {"key.name", "KEY_NAME", "key-name"}));
  if (value == ".") errs.push_back("must not be '.'");
  else if (value == "..") errs.push_back("must not be '..'");
  else if (value.substr(0, 2) == "..") errs.push_back("must not start with '..'");
  return errs;
}

std::vector<std::string> checkPortName(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > 15) errs.push_back(maxLenMessage(15));
  bool charsOk = !value.empty();
  bool hasLetter = false;
  for (char c : value) {
    if (!isLowerAlnum(c) && c != '-') charsOk = false;
    if (c >= 'a' && c <= 'z') hasLetter = true;
  }
  if (!charsOk) errs.push_back("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!hasLetter) errs.push_back("must contain at least one letter (a-z)");
  if (value.find("--") != std::string_view::npos) errs.push_back("must not contain consecutive hyphens");
  if (!value.empty() && (value.front() == '-' || value.back() == '-')) {
    errs.push_back("must not begin or end with a hyphen");
  }
  return errs;
}

}  // namespace minik
