// Formatting shared by the Table printers: durations, timestamps, labels and
// selectors, each as k8s.io/apimachinery renders them.
#include <algorithm>
#include <cstdio>

#include "apiserver/table.h"
#include "apiserver/table_kinds.h"

namespace minik {

using nlohmann::json;

const char* const kNameDescription =
    "Name must be unique within a namespace. Is required when creating resources, although some "
    "resources may allow a client to request the generation of an appropriate name automatically. "
    "Name is primarily intended for creation idempotence and configuration definition. Cannot be "
    "updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/"
    "names#names";
const char* const kCreationTimestampDescription =
    "CreationTimestamp is a timestamp representing the server time when this object was created. "
    "It is not guaranteed to be set in happens-before order across separate operations. Clients "
    "may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the "
    "system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/"
    "sig-architecture/api-conventions.md#metadata";

const json& field(const json& object, std::initializer_list<const char*> path) {
  static const json kNull;
  const json* at = &object;
  for (const char* key : path) {
    if (!at->is_object()) return kNull;
    auto it = at->find(key);
    if (it == at->end()) return kNull;
    at = &*it;
  }
  return *at;
}

std::string textAt(const json& object, std::initializer_list<const char*> path) {
  const json& value = field(object, path);
  return value.is_string() ? value.get<std::string>() : std::string();
}

int64_t integerAt(const json& object, std::initializer_list<const char*> path, int64_t fallback) {
  const json& value = field(object, path);
  return value.is_number() ? value.get<int64_t>() : fallback;
}

int64_t countAt(const json& object, std::initializer_list<const char*> path) {
  const json& value = field(object, path);
  return value.is_object() || value.is_array() ? static_cast<int64_t>(value.size()) : 0;
}

// Go's duration.HumanDuration, on whole seconds (creation timestamps carry no
// more precision). Go truncates d.Seconds() toward zero, so up to -1s of
// clock skew still prints "0s".
std::string humanDuration(std::time_t duration) {
  long long seconds = duration;
  auto format = [](const char* pattern, long long a, long long b = 0) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, pattern, a, b);
    return std::string(buffer);
  };
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return format("%llds", seconds);
  long long minutes = seconds / 60;
  if (minutes < 10) {
    long long s = seconds % 60;
    return s == 0 ? format("%lldm", minutes) : format("%lldm%llds", minutes, s);
  }
  if (minutes < 60 * 3) return format("%lldm", minutes);
  long long hours = seconds / 3600;
  if (hours < 8) {
    long long m = minutes % 60;
    return m == 0 ? format("%lldh", hours) : format("%lldh%lldm", hours, m);
  }
  if (hours < 48) return format("%lldh", hours);
  if (hours < 24 * 8) {
    long long h = hours % 24;
    return h == 0 ? format("%lldd", hours / 24) : format("%lldd%lldh", hours / 24, h);
  }
  if (hours < 24 * 365 * 2) return format("%lldd", hours / 24);
  if (hours < 24 * 365 * 8) {
    long long dy = (hours / 24) % 365;
    return dy == 0 ? format("%lldy", hours / 24 / 365) : format("%lldy%lldd", hours / 24 / 365, dy);
  }
  return format("%lldy", hours / 24 / 365);
}

std::optional<std::time_t> parseTimestamp(std::string_view text, bool* hasFraction) {
  int year, month, day, hour, minute, second, consumed = 0;
  std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute,
                  &second, &consumed) != 6 ||
      consumed != 19) {
    return std::nullopt;
  }
  size_t at = 19;
  bool fraction = false;
  if (at < copy.size() && copy[at] == '.') {
    ++at;
    for (; at < copy.size() && copy[at] >= '0' && copy[at] <= '9'; ++at) {
      fraction = fraction || copy[at] != '0';
    }
  }
  if (hasFraction) *hasFraction = fraction;
  long offset = 0;
  if (at < copy.size() && (copy[at] == 'Z' || copy[at] == 'z')) {
    ++at;
  } else if (at + 6 == copy.size() && (copy[at] == '+' || copy[at] == '-')) {
    int offsetHours, offsetMinutes;
    if (std::sscanf(copy.c_str() + at + 1, "%2d:%2d", &offsetHours, &offsetMinutes) != 2) {
      return std::nullopt;
    }
    offset = (copy[at] == '+' ? 1 : -1) * (offsetHours * 3600L + offsetMinutes * 60L);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != copy.size()) return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return timegm(&tm) - offset;
}

std::string timestampSince(const std::string& timestamp, std::time_t now) {
  bool hasFraction = false;
  auto when = parseTimestamp(timestamp, &hasFraction);
  if (!when) return "<unknown>";
  return humanDuration(now - *when - (hasFraction ? 1 : 0));
}

std::string ageOf(const json& object, std::time_t now) {
  return timestampSince(textAt(object, {"metadata", "creationTimestamp"}), now);
}

namespace {

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::vector<std::string> stringsOf(const json& array) {
  std::vector<std::string> out;
  if (!array.is_array()) return out;
  for (const auto& value : array) {
    if (value.is_string()) out.push_back(value.get<std::string>());
  }
  return out;
}

struct Requirement {
  std::string key;
  std::string text;
};

// One requirement as labels.Requirement.String() writes it; values of in and
// notin are sorted.
std::string requirementText(const std::string& key, const std::string& op,
                            std::vector<std::string> values) {
  if (op == "Exists") return key;
  if (op == "DoesNotExist") return "!" + key;
  std::sort(values.begin(), values.end());
  const char* word = op == "In" ? " in (" : " notin (";
  return key + word + join(values, ",") + ")";
}

}  // namespace

std::string formatLabels(const json& labelMap) {
  std::vector<std::string> pairs;
  if (labelMap.is_object()) {
    for (const auto& [key, value] : labelMap.items()) {
      pairs.push_back(key + "=" + (value.is_string() ? value.get<std::string>() : ""));
    }
  }
  // Go sorts the joined "k=v" strings, not the keys.
  std::sort(pairs.begin(), pairs.end());
  return pairs.empty() ? "<none>" : join(pairs, ",");
}

std::string labelSelectorString(const json& selector) {
  std::vector<Requirement> requirements;
  const json& matchLabels = field(selector, {"matchLabels"});
  if (matchLabels.is_object()) {
    for (const auto& [key, value] : matchLabels.items()) {
      requirements.push_back(
          {key, key + "=" + (value.is_string() ? value.get<std::string>() : "")});
    }
  }
  const json& expressions = field(selector, {"matchExpressions"});
  if (expressions.is_array()) {
    for (const auto& expression : expressions) {
      std::string key = textAt(expression, {"key"});
      std::string op = textAt(expression, {"operator"});
      if (op != "In" && op != "NotIn" && op != "Exists" && op != "DoesNotExist") return "<error>";
      requirements.push_back(
          {key, requirementText(key, op, stringsOf(field(expression, {"values"})))});
    }
  }
  std::stable_sort(requirements.begin(), requirements.end(),
                   [](const Requirement& a, const Requirement& b) { return a.key < b.key; });
  std::vector<std::string> texts;
  for (const auto& requirement : requirements) texts.push_back(requirement.text);
  return join(texts, ",");
}

std::string formatLabelSelector(const json& selector) {
  std::string text = labelSelectorString(selector);
  return text.empty() ? "<none>" : text;
}

std::pair<std::string, std::string> containerCells(const json& containers) {
  std::vector<std::string> names, images;
  if (containers.is_array()) {
    for (const auto& container : containers) {
      names.push_back(textAt(container, {"name"}));
      images.push_back(textAt(container, {"image"}));
    }
  }
  return {join(names, ","), join(images, ",")};
}

std::string listWithMore(const std::vector<std::string>& items, size_t max) {
  if (items.empty()) return "<unset>";
  std::vector<std::string> shown(items.begin(), items.begin() + std::min(max, items.size()));
  std::string text = join(shown, ",");
  if (items.size() > max) text += " + " + std::to_string(items.size() - max) + " more...";
  return text;
}

}  // namespace minik
