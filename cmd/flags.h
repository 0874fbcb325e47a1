// cmd/flags.h — the command-line flag parser shared by minik's verbs.
// Accepts "--name value", "--name=value" and boolean "--name"; anything not
// declared is an error, so a typo never silently changes behaviour.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace minik {

class Flags {
 public:
  // Declares a flag taking a value, with its default and help text.
  void value(const std::string& name, const std::string& defaultValue, const std::string& help);
  // Declares a boolean flag.
  void boolean(const std::string& name, const std::string& help);

  // Parses args; false with error set on an unknown flag or a missing value.
  bool parse(const std::vector<std::string>& args, std::string* error);

  const std::string& get(const std::string& name) const;
  bool isSet(const std::string& name) const;
  int getInt(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }
  std::string usage() const;

 private:
  struct Spec {
    bool takesValue;
    std::string value;
    std::string help;
    bool set = false;
  };
  std::map<std::string, Spec> specs_;
  std::vector<std::string> order_;
  std::vector<std::string> positional_;
};

}  // namespace minik
