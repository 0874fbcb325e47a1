// The three patch formats, each following the code Kubernetes runs so that
// results and error messages match: JSON merge patch and JSON patch as
// gopkg.in/evanphx/json-patch.v4 applies them, strategic merge patch as
// k8s.io/apimachinery/pkg/util/strategicpatch (StrategicMergeMapPatch) does.
#include "api/strategic_merge.h"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/patch_strategy.h"

namespace minik {

namespace {

using json = nlohmann::json;

// Thrown inside a patch application; the entry points turn it into *error
// after leaving the target untouched.
struct PatchFailure {
  std::string message;
};

[[noreturn]] void fail(std::string message) { throw PatchFailure{std::move(message)}; }

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// ---- Go's rendering of decoded JSON, for error texts worded as Kubernetes'.

// fmt's %v of a value decoded into interface{}.
std::string goValue(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "<nil>";
    case json::value_t::string:
      return v.get<std::string>();
    case json::value_t::object: {
      std::string out = "map[";
      bool first = true;
      for (const auto& [key, value] :
           v.items()) {  // nlohmann objects are sorted, as fmt sorts map keys
        if (!first) out += ' ';
        first = false;
        out += key + ":" + goValue(value);
      }
      return out + "]";
    }
    case json::value_t::array: {
      std::string out = "[";
      for (size_t i = 0; i < v.size(); ++i) {
        if (i > 0) out += ' ';
        out += goValue(v[i]);
      }
      return out + "]";
    }
    default:
      return v.dump();
  }
}

// reflect.TypeOf(v).String() for a value decoded by k8s.io/apimachinery's
// json package (integral numbers become int64).
std::string goTypeName(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "%!s(<nil>)";
    case json::value_t::object:
      return "map[string]interface {}";
    case json::value_t::array:
      return "[]interface {}";
    case json::value_t::string:
      return "string";
    case json::value_t::boolean:
      return "bool";
    case json::value_t::number_float:
      return "float64";
    default:
      return "int64";
  }
}

// fmt's %s of a value decoded into interface{}.
std::string goString(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "%!s(<nil>)";
  return "%!s(" + goTypeName(v) + "=" + goValue(v) + ")";
}

// The "json: cannot unmarshal X into Go value of type T" kind word.
std::string goJsonKind(const json& v) {
  switch (v.type()) {
    case json::value_t::object:
      return "object";
    case json::value_t::array:
      return "array";
    case json::value_t::string:
      return "string";
    case json::value_t::boolean:
      return "bool";
    default:
      return "number";
  }
}

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

// ---- Strategic merge patch (k8s.io/apimachinery strategicpatch, applied
// with MergeParallelList and IgnoreUnmatchedNulls as the API server does).

constexpr std::string_view kDirectiveMarker = "$patch";
constexpr std::string_view kRetainKeysDirective = "$retainKeys";
constexpr std::string_view kDeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList";
constexpr std::string_view kSetElementOrderPrefix = "$setElementOrder";

const char* const kBadPrimitiveListFormat = "invalid patch format of primitive list";
const char* const kBadRetainKeysFormat = "invalid patch format of retainKeys";
const char* const kBadSetElementOrderFormat = "invalid patch format of setElementOrder list";

[[noreturn]] void failNoMergeKey(const json& element, std::string_view mergeKey) {
  fail("map: " + goValue(element) +
       " does not contain declared merge key: " + std::string(mergeKey));
}

[[noreturn]] void failBadArgType(const char* expected, const json& actual) {
  fail(std::string("expected a ") + expected + ", but received a " + goTypeName(actual));
}

[[noreturn]] void failBadPatchType(const json& directive, const json& map) {
  fail("unknown patch type: " + goString(directive) + " in map: " + goValue(map));
}

// The list field a parallel-list directive key ("$setElementOrder/env")
// names; "prefix/" must be followed by the field.
std::string listFieldOf(const std::string& key, std::string_view prefix, const char* formatError) {
  size_t slash = key.find('/');
  if (slash == std::string::npos || std::string_view(key).substr(0, slash) != prefix) {
    fail(formatError);
  }
  return key.substr(slash + 1);
}

// A value the patch adds where the target had nothing to merge with. The
// API server decodes it into the typed object, which drops nulls and the
// directive fields; removeDirectives also drops maps carrying $patch.
// Returns false when the value itself is to be dropped.
bool cleanAddedValue(json& value) {
  if (value.is_object()) {
    if (value.contains(kDirectiveMarker)) return false;
    for (auto it = value.begin(); it != value.end();) {
      std::string_view key = it.key();
      bool directive = key == kRetainKeysDirective || startsWith(key, kSetElementOrderPrefix) ||
                       startsWith(key, kDeleteFromPrimitiveListPrefix);
      if (it->is_null() || directive || !cleanAddedValue(*it)) {
        it = value.erase(it);
      } else {
        ++it;
      }
    }
  } else if (value.is_array()) {
    json kept = json::array();
    for (json& element : value) {
      if (cleanAddedValue(element)) kept.push_back(std::move(element));
    }
    value = std::move(kept);
  }
  return true;
}

// The element type all values of the given lists share (sliceElementType).
json::value_t sliceElementType(std::initializer_list<const json*> lists) {
  std::optional<std::string> type;
  json::value_t kind = json::value_t::null;
  for (const json* list : lists) {
    for (const json& element : *list) {
      std::string elementType = goTypeName(element);
      if (!type) {
        if (element.is_array()) fail("lists of lists are not supported");
        type = elementType;
        kind = element.type();
      } else if (*type != elementType) {
        std::string all = "[";
        for (const json* l : lists) all += (all.size() > 1 ? " " : "") + goValue(*l);
        fail("list element types are not identical: " + all + "]");
      }
    }
  }
  if (!type) fail("no elements in any of the given slices");
  return kind;
}

// The merge key's value of element, or null: Go's typedItem[mergeKey] on a
// missing key, which then equals another missing key.
json mergeKeyValue(const json& element, std::string_view mergeKey) {
  if (!element.is_object()) return json();
  auto it = element.find(mergeKey);
  return it == element.end() ? json() : *it;
}

// index(): the position of item in list, comparing merge keys for maps.
long indexIn(const json& list, const json& item, std::string_view mergeKey, bool maps) {
  for (size_t i = 0; i < list.size(); ++i) {
    bool same =
        maps ? mergeKeyValue(item, mergeKey) == mergeKeyValue(list[i], mergeKey) : item == list[i];
    if (same) return static_cast<long>(i);
  }
  return -1;
}

// findMapInSliceBasedOnKeyValue: the first map whose merge key equals value.
long findByMergeKey(const json& list, std::string_view mergeKey, const json& value) {
  for (size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_object()) fail("value for key " + std::to_string(i) + " is not a map");
    auto it = list[i].find(mergeKey);
    if (it != list[i].end() && *it == value) return static_cast<long>(i);
  }
  return -1;
}

bool isDeleteElement(const json& element) {
  auto it = element.find(kDirectiveMarker);
  return it != element.end() && *it == "delete";
}

// normalizeSliceOrder: toSort ordered as in `order`; deletion markers last.
// The comparison and the insertion sort are Go's (sort.SliceStable on short
// lists), including its "unknown items sort first" quirk.
json normalizeSliceOrder(json toSort, const json& order, std::string_view mergeKey, bool maps) {
  json deletions = json::array();
  if (maps) {
    for (const json* list : {static_cast<const json*>(&toSort), &order}) {
      for (const json& item : *list) {
        if (!item.is_object()) failBadArgType("map[string]interface {}", item);
        if (!item.contains(mergeKey)) failNoMergeKey(item, mergeKey);
      }
    }
    json kept = json::array();
    for (json& item : toSort) (isDeleteElement(item) ? deletions : kept).push_back(std::move(item));
    toSort = std::move(kept);
  }
  auto less = [&](const json& a, const json& b) {
    long ia = indexIn(order, a, mergeKey, maps);
    if (ia >= 0) {
      long ib = indexIn(order, b, mergeKey, maps);
      if (ib >= 0) return ia < ib;
    }
    return true;
  };
  for (size_t i = 1; i < toSort.size(); ++i) {
    for (size_t j = i; j > 0 && less(toSort[j], toSort[j - 1]); --j)
      std::swap(toSort[j], toSort[j - 1]);
  }
  for (json& item : deletions) toSort.push_back(std::move(item));
  return toSort;
}

// mergeSortedSlice: interleaves the server-only items (left) into the patch
// items (right), both already ordered, by their positions in the live list.
json mergeSortedSlice(const json& left, const json& right, const json& serverOrder,
                      std::string_view mergeKey, bool maps) {
  json out = json::array();
  size_t i = 0, j = 0;
  while (i < left.size() || j < right.size()) {
    if (i >= left.size()) {
      out.push_back(right[j++]);
    } else if (j >= right.size()) {
      out.push_back(left[i++]);
    } else {
      long li = indexIn(serverOrder, left[i], mergeKey, maps);
      long ri = indexIn(serverOrder, right[j], mergeKey, maps);
      if (li >= 0 && ri >= 0 && li < ri) {
        out.push_back(left[i++]);
      } else {
        out.push_back(right[j++]);
      }
    }
  }
  return out;
}

json normalizeElementOrder(const json& patchItems, const json& serverOnly, const json& patchOrder,
                           const json& serverOrder, std::string_view mergeKey, bool maps) {
  json orderedPatch = normalizeSliceOrder(patchItems, patchOrder, mergeKey, maps);
  json orderedServer = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, maps);
  return mergeSortedSlice(orderedServer, orderedPatch, serverOrder, mergeKey, maps);
}

// Splits merged into the items present in partitionBy and the others.
std::pair<json, json> partitionByPresence(const json& merged, const json& partitionBy,
                                          std::string_view mergeKey) {
  std::pair<json, json> parts{json::array(), json::array()};
  for (const json& item : merged) {
    bool present;
    if (mergeKey.empty()) {
      present = indexIn(partitionBy, item, mergeKey, false) >= 0;
    } else {
      if (!item.is_object()) failBadArgType("map[string]interface {}", item);
      auto key = item.find(mergeKey);
      if (key == item.end()) failNoMergeKey(item, mergeKey);
      present = findByMergeKey(partitionBy, mergeKey, *key) >= 0;
    }
    (present ? parts.first : parts.second).push_back(item);
  }
  return parts;
}

void mergeMap(json& original, json patch, const ObjectSchema* schema);

// mergeSliceWithSpecialElements: applies the $patch elements of a merged
// list of maps to original and strips them from patch.
void applyListDirectives(json& original, json& patch, std::string_view mergeKey) {
  json plain = json::array();
  bool replace = false;
  for (json& element : patch) {
    auto directive = element.find(kDirectiveMarker);
    if (directive == element.end()) {
      plain.push_back(std::move(element));
    } else if (*directive == "delete") {
      auto key = element.find(mergeKey);
      if (key == element.end()) failNoMergeKey(element, mergeKey);
      for (long at; (at = findByMergeKey(original, mergeKey, *key)) >= 0;) {
        original.erase(original.begin() + at);
      }
    } else if (*directive == "replace") {
      replace = true;  // keeps scanning, to reject bad directives after it too
    } else if (*directive == "merge") {
      fail("merging lists cannot yet be specified in the patch");
    } else {
      failBadPatchType(*directive, element);
    }
  }
  if (replace) {
    cleanAddedValue(plain);
    original = std::move(plain);
    patch = json::array();
  } else {
    patch = std::move(plain);
  }
}

// mergeSlice: a list with the merge strategy (or a $deleteFromPrimitiveList).
json mergeSlice(json original, json patch, const FieldStrategy& field, bool isDeleteList) {
  if (original.empty() && patch.empty()) return original;
  bool maps = sliceElementType({&original, &patch}) == json::value_t::object;
  json merged = json::array();
  if (!maps) {
    if (isDeleteList) {
      for (const json& item : original) {
        if (indexIn(patch, item, {}, false) < 0) merged.push_back(item);
      }
      return merged;
    }
    for (const json* list : {&original, &patch}) {
      for (const json& item : *list) {
        if (indexIn(merged, item, {}, false) < 0) merged.push_back(item);
      }
    }
  } else {
    if (field.mergeKey.empty()) fail("cannot merge lists without merge key");
    applyListDirectives(original, patch, field.mergeKey);
    merged = original;
    for (json& element : patch) {
      auto key = element.find(field.mergeKey);
      if (key == element.end()) failNoMergeKey(element, field.mergeKey);
      long at = findByMergeKey(merged, field.mergeKey, *key);
      if (at >= 0) {
        mergeMap(merged[at], element, field.schema);
      } else {
        json added = element;
        cleanAddedValue(added);
        merged.push_back(std::move(added));
      }
    }
  }
  std::string_view mergeKey = maps ? field.mergeKey : std::string_view();
  auto [patchItems, serverOnly] = partitionByPresence(merged, patch, mergeKey);
  return normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, maps);
}

json mergeSliceHandler(const json& original, const json& patch, const FieldStrategy& field,
                       bool isDeleteList) {
  if (field.mergeList || isDeleteList) return mergeSlice(original, patch, field, isDeleteList);
  json replacement = patch;
  cleanAddedValue(replacement);
  return replacement;
}

// applyRetainKeysDirective: keeps only the listed keys of original; every
// field the patch sets must be listed.
void applyRetainKeys(json& original, json& patch) {
  auto it = patch.find(kRetainKeysDirective);
  if (it == patch.end()) return;
  json retained = std::move(*it);
  patch.erase(it);
  if (!retained.is_array()) fail(kBadRetainKeysFormat);
  auto isRetained = [&](const std::string& key) {
    for (const json& name : retained) {
      if (name.is_string() && name.get_ref<const std::string&>() == key) return true;
    }
    return false;
  };
  for (const auto& [key, value] : patch.items()) {
    if (value.is_null() || startsWith(key, kDeleteFromPrimitiveListPrefix) ||
        startsWith(key, kSetElementOrderPrefix)) {
      continue;
    }
    if (!isRetained(key)) fail(kBadRetainKeysFormat);
  }
  for (auto field = original.begin(); field != original.end();) {
    field = isRetained(field.key()) ? std::next(field) : original.erase(field);
  }
}

bool mergeKeysEqual(const json& left, const json& right, std::string_view mergeKey) {
  if (mergeKey.empty()) return left == right;
  if (!left.is_object()) failBadArgType("map[string]interface {}", left);
  if (!right.is_object()) failBadArgType("map[string]interface {}", right);
  auto l = left.find(mergeKey);
  if (l == left.end()) failNoMergeKey(left, mergeKey);
  auto r = right.find(mergeKey);
  if (r == right.end()) failNoMergeKey(right, mergeKey);
  return *l == *r;
}

// validatePatchWithSetOrderList: the patch list's items (deletions aside)
// must appear in the $setElementOrder list, in the same relative order.
void validateAgainstElementOrder(const json& patchList, const json& order,
                                 std::string_view mergeKey) {
  if (order.empty() || patchList.empty()) return;
  json nonDeletions = json::array();
  for (const json& item : patchList) {
    if (!mergeKey.empty()) {
      if (!item.is_object()) failBadArgType("map[string]interface {}", item);
      if (isDeleteElement(item)) continue;
    }
    nonDeletions.push_back(item);
  }
  size_t patchIndex = 0, orderIndex = 0;
  while (patchIndex < nonDeletions.size() && orderIndex < order.size()) {
    if (nonDeletions[patchIndex].is_object() &&
        nonDeletions[patchIndex].contains(kDirectiveMarker)) {
      ++patchIndex;
      continue;
    }
    if (mergeKeysEqual(nonDeletions[patchIndex], order[orderIndex], mergeKey)) ++patchIndex;
    ++orderIndex;
  }
  if (patchIndex < nonDeletions.size() && orderIndex >= order.size()) {
    fail("The order in patch list:\n" + goValue(patchList) + "\n doesn't match " +
         std::string(kSetElementOrderPrefix) + " list:\n" + goValue(order) + "\n");
  }
}

// mergePatchIntoOriginal: each $setElementOrder/<field> merges that list
// now and orders the result: the listed items as listed, the server-only
// items kept where they were relative to their neighbours.
void applyElementOrders(json& original, json& patch, const ObjectSchema* schema) {
  std::vector<std::string> directives;
  for (const auto& [key, value] : patch.items()) {
    if (startsWith(key, kSetElementOrderPrefix)) directives.push_back(key);
  }
  for (const std::string& directive : directives) {
    json order = std::move(patch[directive]);
    patch.erase(directive);
    if (!order.is_array()) failBadArgType("[]interface {}", order);
    std::string field = listFieldOf(directive, kSetElementOrderPrefix, kBadSetElementOrderFormat);

    auto originalIt = original.find(field);
    auto patchIt = patch.find(field);
    bool foundOriginal = originalIt != original.end();
    bool foundPatch = patchIt != patch.end();
    json originalList = foundOriginal ? *originalIt : json::array();
    json patchList = foundPatch ? *patchIt : json::array();
    if (!originalList.is_array()) failBadArgType("[]interface {}", originalList);
    if (!patchList.is_array()) failBadArgType("[]interface {}", patchList);

    FieldStrategy strategy = fieldStrategy(schema, field);
    std::string_view mergeKey = strategy.mergeKey;
    validateAgainstElementOrder(patchList, order, mergeKey);

    json merged;
    if (foundOriginal && foundPatch) {
      merged = mergeSliceHandler(originalList, patchList, strategy, false);
    } else if (foundOriginal) {
      merged = originalList;
    } else if (foundPatch) {
      merged = patchList;
      cleanAddedValue(merged);
    } else {
      continue;
    }
    auto [patchItems, serverOnly] = partitionByPresence(merged, order, mergeKey);
    bool maps = sliceElementType({&originalList, &patchList}) == json::value_t::object;
    original[field] =
        normalizeElementOrder(patchItems, serverOnly, order, originalList, mergeKey, maps);
    patch.erase(field);
  }
}

// mergeMap: merges patch into original (an object) in place.
void mergeMap(json& original, json patch, const ObjectSchema* schema) {
  auto directive = patch.find(kDirectiveMarker);
  if (directive != patch.end()) {
    if (*directive == "replace") {
      patch.erase(directive);
      cleanAddedValue(patch);
      original = std::move(patch);
    } else if (*directive == "delete") {
      original = json::object();
    } else {
      failBadPatchType(*directive, patch);
    }
    return;
  }

  applyRetainKeys(original, patch);
  applyElementOrders(original, patch, schema);

  for (auto& [patchKey, patchValue] : patch.items()) {
    std::string key = patchKey;
    bool isDeleteList = false;
    if (startsWith(key, kDeleteFromPrimitiveListPrefix)) {
      key = listFieldOf(key, kDeleteFromPrimitiveListPrefix, kBadPrimitiveListFormat);
      isDeleteList = true;
    }
    if (patchValue.is_null()) {
      original.erase(key);
      continue;
    }
    auto existing = original.find(key);
    if (existing == original.end() || goTypeName(*existing) != goTypeName(patchValue)) {
      // A deletion list never adds its items.
      if (isDeleteList) continue;
      json added = std::move(patchValue);
      if (cleanAddedValue(added)) {
        original[key] = std::move(added);
      } else {
        original.erase(key);
      }
      continue;
    }
    FieldStrategy strategy = fieldStrategy(schema, key);
    if (existing->is_object()) {
      mergeMap(*existing, std::move(patchValue), strategy.schema);
    } else if (existing->is_array()) {
      *existing = mergeSliceHandler(*existing, patchValue, strategy, isDeleteList);
    } else {
      *existing = std::move(patchValue);
    }
  }
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

bool applyStrategicMergePatch(const KindInfo& kind, nlohmann::json& target,
                              const nlohmann::json& patch, std::string* error) {
  if (patch.is_null()) return true;  // decodes to an empty map
  if (!patch.is_object()) {
    *error = "json: cannot unmarshal " + goJsonKind(patch) +
             " into Go value of type map[string]interface {}";
    return false;
  }
  if (!target.is_object()) {
    *error = "invalid JSON document";
    return false;
  }
  json patched = target;
  try {
    mergeMap(patched, patch, patchSchemaForKind(kind));
  } catch (const PatchFailure& failure) {
    *error = failure.message;
    return false;
  }
  target = std::move(patched);
  return true;
}

}  // namespace minik
