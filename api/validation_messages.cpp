#include "api/validation_messages.h"

namespace minik {

std::string maxLenMessage(int length) {
  return "must be no more than " + std::to_string(length) + " characters";
}

std::string regexMessage(std::string_view msg, std::string_view regex,
                         std::initializer_list<std::string_view> examples) {
  std::string out(msg);
  if (examples.size() == 0) return out + " (regex used for validation is '" + std::string(regex) + "')";
  // Go writes "'a', " before each " or ", hence the double space Kubernetes users know.
  out += " (e.g. ";
  bool first = true;
  for (auto example : examples) {
    if (!first) out += " or ";
    first = false;
    out += "'" + std::string(example) + "', ";
  }
  return out + "regex used for validation is '" + std::string(regex) + "')";
}

std::string inclusiveRangeMessage(long long lo, long long hi) {
  return "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", inclusive";
}

}  // namespace minik
