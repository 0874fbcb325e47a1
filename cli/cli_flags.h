// cli/cli_flags.h — kubectl-style flags for the CLI verbs (spf13/pflag
// rules): "--name value", "--name=value", "-n value", "-nvalue", "-n=value",
// booleans as "--watch", "--watch=false" or "-w", repeatable list flags
// ("-f a -f b", "-f a,b"), "--" ends the flags. An undeclared flag is an error worded
// as kubectl's ("unknown flag: --bogus", "unknown shorthand flag: 'x' in
// -x"), so a typo never silently changes what a command does.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace minik {

class CliFlags {
 public:
  void value(const std::string& name, char shorthand, const std::string& defaultValue, const std::string& help);
  void list(const std::string& name, char shorthand, const std::string& help);
  void boolean(const std::string& name, char shorthand, bool defaultValue, const std::string& help);

  bool parse(const std::vector<std::string>& args, std::string* error);

  const std::string& get(const std::string& name) const;
  bool on(const std::string& name) const;
  const std::vector<std::string>& all(const std::string& name) const;
  bool isSet(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }
  std::string usage() const;

 private:
  enum class Kind { Value, List, Bool };
  struct Spec {
    Kind kind;
    char shorthand;
    std::string value;
    std::vector<std::string> values;
    std::string help;
    bool set = false;
  };
  bool assign(Spec& spec, const std::string& name, const std::string& value, std::string* error);

  std::map<std::string, Spec> specs_;
  std::vector<std::string> order_;
  std::vector<std::string> positional_;
};

}  // namespace minik
