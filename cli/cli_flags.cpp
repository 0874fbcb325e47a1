#include "cli/cli_flags.h"

namespace minik {

void CliFlags::value(const std::string& name, char shorthand, const std::string& defaultValue,
                     const std::string& help) {
  specs_[name] = {Kind::Value, shorthand, defaultValue, {}, help};
  order_.push_back(name);
}

void CliFlags::list(const std::string& name, char shorthand, const std::string& help) {
  specs_[name] = {Kind::List, shorthand, "", {}, help};
  order_.push_back(name);
}

void CliFlags::boolean(const std::string& name, char shorthand, bool defaultValue, const std::string& help) {
  specs_[name] = {Kind::Bool, shorthand, defaultValue ? "true" : "false", {}, help};
  order_.push_back(name);
}

bool CliFlags::assign(Spec& spec, const std::string& name, const std::string& value, std::string* error) {
  if (spec.kind == Kind::Bool) {
    if (value != "true" && value != "false" && value != "1" && value != "0") {
      *error = "invalid argument \"" + value + "\" for \"--" + name + "\" flag: strconv.ParseBool: parsing \"" +
               value + "\": invalid syntax";
      return false;
    }
    spec.value = value == "1" ? "true" : value == "0" ? "false" : value;
  } else if (spec.kind == Kind::List) {
    // pflag's string slices split on commas: "-f a.yaml,b.yaml".
    size_t start = 0;
    while (start <= value.size()) {
      size_t comma = value.find(',', start);
      spec.values.push_back(value.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  } else {
    spec.value = value;
  }
  spec.set = true;
  return true;
}

bool CliFlags::parse(const std::vector<std::string>& args, std::string* error) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      positional_.insert(positional_.end(), args.begin() + i + 1, args.end());
      return true;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      positional_.push_back(arg);
      continue;
    }
    std::string name, value;
    bool hasValue = false;
    Spec* spec = nullptr;
    if (arg[1] == '-') {
      name = arg.substr(2);
      size_t eq = name.find('=');
      if (eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        hasValue = true;
      }
      auto it = specs_.find(name);
      if (it == specs_.end()) {
        *error = "unknown flag: --" + name;
        return false;
      }
      spec = &it->second;
    } else {
      char c = arg[1];
      for (auto& [n, s] : specs_) {
        if (s.shorthand == c) {
          name = n;
          spec = &s;
        }
      }
      if (!spec) {
        *error = std::string("unknown shorthand flag: '") + c + "' in " + arg;
        return false;
      }
      if (arg.size() > 2) {
        value = arg.substr(arg[2] == '=' ? 3 : 2);
        hasValue = true;
      }
    }
    if (spec->kind == Kind::Bool) {
      if (!assign(*spec, name, hasValue ? value : "true", error)) return false;
      continue;
    }
    if (!hasValue) {
      if (i + 1 >= args.size()) {
        *error = "flag needs an argument: --" + name;
        return false;
      }
      value = args[++i];
    }
    if (!assign(*spec, name, value, error)) return false;
  }
  return true;
}

const std::string& CliFlags::get(const std::string& name) const { return specs_.at(name).value; }

bool CliFlags::on(const std::string& name) const { return specs_.at(name).value == "true"; }

const std::vector<std::string>& CliFlags::all(const std::string& name) const { return specs_.at(name).values; }

bool CliFlags::isSet(const std::string& name) const { return specs_.at(name).set; }

std::string CliFlags::usage() const {
  std::string out;
  for (const auto& name : order_) {
    const Spec& s = specs_.at(name);
    std::string left = s.shorthand ? std::string("  -") + s.shorthand + ", --" + name : "      --" + name;
    if (s.kind != Kind::Bool) left += "=" + (s.value.empty() ? std::string("''") : s.value);
    else if (s.value == "true") left += "=true";
    if (left.size() < 32) left.resize(32, ' ');
    else left += "  ";
    out += left + s.help + "\n";
  }
  return out;
}

}  // namespace minik
