#include "cmd/flags.h"

#include <cstdlib>

namespace minik {

void Flags::value(const std::string& name, const std::string& defaultValue, const std::string& help) {
  specs_[name] = Spec{true, defaultValue, help};
  order_.push_back(name);
}

void Flags::boolean(const std::string& name, const std::string& help) {
  specs_[name] = Spec{false, "false", help};
  order_.push_back(name);
}

bool Flags::parse(const std::vector<std::string>& args, std::string* error) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2), value;
    bool inlineValue = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inlineValue = true;
    }
    auto it = specs_.find(name);
    if (it == specs_.end()) {
      *error = "unknown flag: --" + name;
      return false;
    }
    Spec& spec = it->second;
    if (spec.takesValue) {
      if (!inlineValue) {
        if (i + 1 >= args.size()) {
          *error = "flag needs an argument: --" + name;
          return false;
        }
        value = args[++i];
      }
      spec.value = value;
    } else {
      spec.value = inlineValue ? value : "true";
    }
    spec.set = true;
  }
  return true;
}

const std::string& Flags::get(const std::string& name) const { return specs_.at(name).value; }

bool Flags::isSet(const std::string& name) const { return specs_.at(name).set; }

int Flags::getInt(const std::string& name) const { return std::atoi(get(name).c_str()); }

std::string Flags::usage() const {
  std::string out;
  for (const auto& name : order_) {
    const Spec& spec = specs_.at(name);
    std::string left = "      --" + name + (spec.takesValue ? " value" : "");
    if (left.size() < 34) left.resize(34, ' ');
    out += left + " " + spec.help;
    if (spec.takesValue && !spec.value.empty()) out += " (default \"" + spec.value + "\")";
    out += "\n";
  }
  return out;
}

}  // namespace minik
