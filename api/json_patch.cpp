// JSON merge patch and JSON patch, as gopkg.in/evanphx/json-patch.v4 (which
// the Kubernetes API server runs) applies them, with its error texts.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/patch_failure.h"
#include "api/strategic_merge.h"

namespace minik {

namespace {

using json = nlohmann::json;
using namespace patch_detail;

// ---- JSON merge patch (evanphx/json-patch v4 MergePatch).

// Nulls in an added value mean nothing to keep; v4 prunes them from maps at
// every depth, arrays included (unlike RFC 7386, which keeps arrays verbatim).
void pruneNulls(json& v) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end();) {
      if (it->is_null()) {
        it = v.erase(it);
      } else {
        pruneNulls(*it);
        ++it;
      }
    }
  } else if (v.is_array()) {
    for (json& element : v) {
      if (!element.is_null()) pruneNulls(element);
    }
  }
}

void mergeDocuments(json& doc, const json& patch);

json mergeValue(const json& current, const json& patch) {
  if (!current.is_object()) {
    json replacement = patch;
    pruneNulls(replacement);
    return replacement;
  }
  if (!patch.is_object()) return patch;
  json merged = current;
  mergeDocuments(merged, patch);
  return merged;
}

void mergeDocuments(json& doc, const json& patch) {
  for (const auto& [key, value] : patch.items()) {
    if (value.is_null()) {
      doc.erase(key);
      continue;
    }
    auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) {
      json added = value;
      pruneNulls(added);
      doc[key] = std::move(added);
    } else {
      *it = mergeValue(*it, value);
    }
  }
}

// ---- JSON patch (evanphx/json-patch v4 Patch.Apply).

// RFC 6901 unescaping in one left-to-right pass, so "~01" becomes "~1".
std::string decodePointerToken(std::string_view token) {
  std::string out;
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    parts.push_back(path.substr(start, slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return parts;
}

// strconv.Atoi: returns the error text on failure.
std::optional<std::string> parseGoInt(const std::string& s, long long* out) {
  std::string_view digits = s;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty()) return "strconv.Atoi: parsing \"" + s + "\": invalid syntax";
  long long value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return "strconv.Atoi: parsing \"" + s + "\": invalid syntax";
    if (value > (INT64_MAX - (c - '0')) / 10) {
      return "strconv.Atoi: parsing \"" + s + "\": value out of range";
    }
    value = value * 10 + (c - '0');
  }
  *out = negative ? -value : value;
  return std::nullopt;
}

std::string invalidIndex(long long idx) {
  return "Unable to access invalid index: " + std::to_string(idx) + ": invalid index referenced";
}

// The index an array operation addresses, after v4's negative-index rule
// (SupportNegativeIndices is on): -1 is the last element of `size`.
std::optional<std::string> arrayIndex(const std::string& key, size_t size, long long* idx) {
  if (auto err = parseGoInt(key, idx)) return err;
  if (*idx < 0) {
    if (*idx < -static_cast<long long>(size)) return invalidIndex(*idx);
    *idx += static_cast<long long>(size);
  }
  return std::nullopt;
}

// Container get: the value at key, nullptr when absent (or JSON null, which
// v4 does not tell from absent); an error only for a bad array index.
std::optional<std::string> containerGet(json& container, const std::string& key, json** out) {
  *out = nullptr;
  if (container.is_object()) {
    auto it = container.find(key);
    if (it != container.end() && !it->is_null()) *out = &*it;
    return std::nullopt;
  }
  long long idx = 0;
  if (auto err = arrayIndex(key, container.size(), &idx)) return err;
  if (idx >= static_cast<long long>(container.size())) return invalidIndex(idx);
  if (!container[idx].is_null()) *out = &container[idx];
  return std::nullopt;
}

std::optional<std::string> containerAdd(json& container, const std::string& key, json value) {
  if (container.is_object()) {
    container[key] = std::move(value);
    return std::nullopt;
  }
  if (key == "-") {
    container.push_back(std::move(value));
    return std::nullopt;
  }
  long long idx = 0;
  if (auto err = parseGoInt(key, &idx)) {
    return "value was not a proper array index: '" + key + "': " + *err;
  }
  long long grown = static_cast<long long>(container.size()) + 1;
  if (idx >= grown) return invalidIndex(idx);
  if (idx < 0) {
    if (idx < -grown) return invalidIndex(idx);
    idx += grown;
  }
  container.insert(container.begin() + idx, std::move(value));
  return std::nullopt;
}

std::optional<std::string> containerRemove(json& container, const std::string& key) {
  if (container.is_object()) {
    if (!container.contains(key)) {
      return "Unable to remove nonexistent key: " + key + ": missing value";
    }
    container.erase(key);
    return std::nullopt;
  }
  long long idx = 0;
  if (auto err = parseGoInt(key, &idx)) return err;
  if (idx >= static_cast<long long>(container.size())) return invalidIndex(idx);
  if (auto err = arrayIndex(key, container.size(), &idx)) return err;
  container.erase(container.begin() + idx);
  return std::nullopt;
}

// findObject: the object or array holding the last token of path, and that
// token; nullptr when any step is missing or not a container.
json* findContainer(json& doc, const std::string& path, std::string* key) {
  std::vector<std::string> parts = splitPath(path);
  if (parts.size() < 2) return nullptr;
  json* current = &doc;
  for (size_t i = 1; i + 1 < parts.size(); ++i) {
    json* next = nullptr;
    if (containerGet(*current, decodePointerToken(parts[i]), &next) || next == nullptr) {
      return nullptr;
    }
    if (!next->is_object() && !next->is_array()) return nullptr;
    current = next;
  }
  *key = decodePointerToken(parts.back());
  return current;
}

// Operation.Path()/From(): the string field, or the error text.
std::optional<std::string> readPointer(const json& op, const char* field, std::string* out) {
  auto it = op.find(field);
  if (it == op.end() || it->is_null()) {
    return std::string(field) == "path" ? "operation missing path field: missing value"
                                        : "operation, missing from field: missing value";
  }
  if (!it->is_string()) {
    return "json: cannot unmarshal " + goJsonKind(*it) + " into Go value of type string";
  }
  *out = it->get<std::string>();
  return std::nullopt;
}

json operationValue(const json& op) {
  auto it = op.find("value");
  return it == op.end() ? json() : *it;
}

void applyAdd(json& doc, const json& op) {
  std::string path, key;
  if (readPointer(op, "path", &path)) fail("add operation failed to decode path: missing value");
  json* container = findContainer(doc, path, &key);
  if (container == nullptr) {
    fail("add operation does not apply: doc is missing path: \"" + path + "\": missing value");
  }
  if (auto err = containerAdd(*container, key, operationValue(op))) {
    fail("error in add for path: '" + path + "': " + *err);
  }
}

void applyRemove(json& doc, const json& op) {
  std::string path, key;
  if (readPointer(op, "path", &path)) fail("remove operation failed to decode path: missing value");
  json* container = findContainer(doc, path, &key);
  if (container == nullptr) {
    fail("remove operation does not apply: doc is missing path: \"" + path + "\": missing value");
  }
  if (auto err = containerRemove(*container, key)) {
    fail("error in remove for path: '" + path + "': " + *err);
  }
}

void applyReplace(json& doc, const json& op) {
  std::string path, key;
  if (auto err = readPointer(op, "path", &path)) {
    fail("replace operation failed to decode path: " + *err);
  }
  json value = operationValue(op);
  if (path.empty()) {
    // v4 silently ignores a root replacement by a scalar.
    if (value.is_object() || value.is_array()) doc = std::move(value);
    return;
  }
  json* container = findContainer(doc, path, &key);
  if (container == nullptr) {
    fail("replace operation does not apply: doc is missing path: " + path + ": missing value");
  }
  json* existing = nullptr;
  // A missing object key is not an error in v4: replace then adds it.
  if (containerGet(*container, key, &existing)) {
    fail("replace operation does not apply: doc is missing key: " + path + ": missing value");
  }
  if (container->is_object()) {
    (*container)[key] = std::move(value);
  } else {
    long long idx = 0;
    arrayIndex(key, container->size(), &idx);
    (*container)[idx] = std::move(value);
  }
}

void applyMove(json& doc, const json& op) {
  std::string from, path, key;
  if (auto err = readPointer(op, "from", &from))
    fail("move operation failed to decode from: " + *err);
  json* source = findContainer(doc, from, &key);
  if (source == nullptr) {
    fail("move operation does not apply: doc is missing from path: " + from + ": missing value");
  }
  json* found = nullptr;
  if (auto err = containerGet(*source, key, &found)) {
    fail("error in move for path: '" + key + "': " + *err);
  }
  json value = found != nullptr ? *found : json();
  if (auto err = containerRemove(*source, key)) {
    fail("error in move for path: '" + key + "': " + *err);
  }
  if (auto err = readPointer(op, "path", &path))
    fail("move operation failed to decode path: " + *err);
  json* target = findContainer(doc, path, &key);
  if (target == nullptr) {
    fail("move operation does not apply: doc is missing destination path: " + path +
         ": missing value");
  }
  if (auto err = containerAdd(*target, key, std::move(value))) {
    fail("error in move for path: '" + path + "': " + *err);
  }
}

void applyTest(json& doc, const json& op) {
  std::string path, key;
  if (auto err = readPointer(op, "path", &path))
    fail("test operation failed to decode path: " + *err);
  json expected = operationValue(op);
  std::string failed = "testing value " + path + " failed: test failed";
  if (path.empty()) {
    if (doc != expected) fail(failed);
    return;
  }
  json* container = findContainer(doc, path, &key);
  if (container == nullptr) {
    fail("test operation does not apply: is missing path: " + path + ": missing value");
  }
  json* actual = nullptr;
  if (auto err = containerGet(*container, key, &actual)) {
    fail("error in test for path: '" + path + "': " + *err);
  }
  if (actual == nullptr ? !expected.is_null() : *actual != expected) fail(failed);
}

void applyCopy(json& doc, const json& op) {
  std::string from, path, key;
  if (auto err = readPointer(op, "from", &from))
    fail("copy operation failed to decode from: " + *err);
  json* source = findContainer(doc, from, &key);
  if (source == nullptr) {
    fail("copy operation does not apply: doc is missing from path: " + from + ": missing value");
  }
  json* found = nullptr;
  if (auto err = containerGet(*source, key, &found)) {
    fail("error in copy for from: '" + from + "': " + *err);
  }
  json value = found != nullptr ? *found : json();
  if (readPointer(op, "path", &path)) fail("copy operation failed to decode path: missing value");
  json* target = findContainer(doc, path, &key);
  if (target == nullptr) {
    fail("copy operation does not apply: doc is missing destination path: " + path +
         ": missing value");
  }
  if (auto err = containerAdd(*target, key, std::move(value))) {
    fail("error while adding value during copy: " + *err);
  }
}

void applyOperation(json& doc, const json& op) {
  auto kindIt = op.find("op");
  std::string kind =
      kindIt != op.end() && kindIt->is_string() ? kindIt->get<std::string>() : "unknown";
  if (kind == "add") return applyAdd(doc, op);
  if (kind == "remove") return applyRemove(doc, op);
  if (kind == "replace") return applyReplace(doc, op);
  if (kind == "move") return applyMove(doc, op);
  if (kind == "test") return applyTest(doc, op);
  if (kind == "copy") return applyCopy(doc, op);
  fail("Unexpected kind: " + kind);
}

}  // namespace

bool applyMergePatch(nlohmann::json& target, const nlohmann::json& patch, std::string* error) {
  if (patch.is_null()) {
    *error = "Invalid JSON Patch";
    return false;
  }
  if (!patch.is_object() || !target.is_object()) {
    target = patch;
    return true;
  }
  json patched = target;
  mergeDocuments(patched, patch);
  target = std::move(patched);
  return true;
}

bool applyJsonPatch(nlohmann::json& target, const nlohmann::json& patch, std::string* error) {
  if (patch.is_null()) return true;  // decodes to an empty Patch
  if (!patch.is_array()) {
    *error =
        "json: cannot unmarshal " + goJsonKind(patch) + " into Go value of type jsonpatch.Patch";
    return false;
  }
  for (const json& op : patch) {
    if (!op.is_object() && !op.is_null()) {
      *error =
          "json: cannot unmarshal " + goJsonKind(op) + " into Go value of type jsonpatch.Operation";
      return false;
    }
  }
  json patched = target;
  try {
    for (const json& op : patch) applyOperation(patched, op.is_null() ? json::object() : op);
  } catch (const PatchFailure& failure) {
    *error = failure.message;
    return false;
  }
  target = std::move(patched);
  return true;
}
}  // namespace minik
