// api/validation_messages.h — the sentence builders of Kubernetes' validation
// package (MaxLenError, RegexError, InclusiveRangeError), shared by the name,
// label and per-kind checks so every message has Go's exact shape.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace minik {

// "must be no more than 63 characters"
std::string maxLenMessage(int length);
// "<msg> (e.g. 'a' or 'b', regex used for validation is '<regex>')"
std::string regexMessage(std::string_view msg, std::string_view regex,
                         std::initializer_list<std::string_view> examples);
// "must be between 1 and 65535, inclusive"
std::string inclusiveRangeMessage(long long lo, long long hi);
// "must be greater than or equal to 0"
inline const char* kNegativeMessage = "must be greater than or equal to 0";
// "field is immutable"
inline const char* kImmutableMessage = "field is immutable";

}  // namespace minik
