// Strategic merge patch, as k8s.io/apimachinery/pkg/util/strategicpatch
// (StrategicMergeMapPatch) applies it, so results and error messages match.
#include "api/strategic_merge.h"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/patch_failure.h"
#include "api/patch_strategy.h"

namespace minik {

namespace {

using json = nlohmann::json;
using namespace patch_detail;

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

