// controllers/interned_string.h — an immutable string held once per distinct
// value (interned.h): for what many views repeat, such as the uid and the
// name of the owner that ten pods share.
//
// Contract: reads as a const std::string (conversion, comparisons with
// strings); an empty InternedString holds nothing and costs 16 bytes.
#pragma once

#include <string>

#include "controllers/interned.h"

namespace minik {

class InternedString {
 public:
  InternedString() = default;
  InternedString(std::string value)  // NOLINT: implicit, so views assign a std::string
      : value_(value.empty() ? nullptr : intern(std::move(value))) {}

  const std::string& str() const { return value_ ? *value_ : blank(); }
  operator const std::string&() const { return str(); }  // NOLINT
  bool empty() const { return !value_; }
  const char* c_str() const { return str().c_str(); }

  friend bool operator==(const InternedString& a, const InternedString& b) {
    return a.value_ == b.value_ || a.str() == b.str();
  }
  friend bool operator!=(const InternedString& a, const InternedString& b) { return !(a == b); }
  friend bool operator==(const InternedString& a, const std::string& b) { return a.str() == b; }
  friend bool operator==(const std::string& a, const InternedString& b) { return a == b.str(); }
  friend bool operator!=(const InternedString& a, const std::string& b) { return a.str() != b; }
  friend bool operator!=(const std::string& a, const InternedString& b) { return a != b.str(); }

 private:
  static const std::string& blank() {
    static const std::string* none = new std::string;
    return *none;
  }

  std::shared_ptr<const std::string> value_;  // null: ""
};

}  // namespace minik
