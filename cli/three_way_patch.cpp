#include "cli/three_way_patch.h"

#include <algorithm>
#include <functional>

#include "api/kinds.h"
#include "api/patch_strategy.h"
#include "cli/go_json.h"

namespace minik {

namespace {

using json = nlohmann::json;

const char kDirective[] = "$patch";
const char kRetainKeys[] = "$retainKeys";
const std::string kSetElementOrder = "$setElementOrder/";
const std::string kDeleteFromPrimitiveList = "$deleteFromPrimitiveList/";

struct PatchError {
  std::string message;
};

// Where in the object a value sits: its patch schema, its dotted path (for
// the few retainKeys fields) and the kind.
struct Place {
  const ObjectSchema* schema = nullptr;
  std::string path;
  const std::string* kind = nullptr;
};

struct FieldMeta {
  bool merge = false;
  std::string mergeKey;
  bool retainKeys = false;
  Place child;
};

FieldMeta lookup(const Place& at, const std::string& key) {
  FieldStrategy s = fieldStrategy(at.schema, key);
  FieldMeta meta;
  meta.merge = s.mergeList;
  meta.mergeKey = std::string(s.mergeKey);
  meta.child = {s.schema, at.path.empty() ? key : at.path + "." + key, at.kind};
  // patchStrategy:"retainKeys" in k8s.io/api: DeploymentSpec.Strategy, and
  // "merge,retainKeys" on PodSpec.Volumes.
  meta.retainKeys = (*at.kind == "Deployment" && meta.child.path == "spec.strategy") ||
                    (meta.merge && key == "volumes");
  return meta;
}

struct DiffOptions {
  bool setElementOrder = false;
  bool ignoreChangesAndAdditions = false;
  bool ignoreDeletions = false;
  bool buildRetainKeys = false;
};

// Go's dynamic types of decoded JSON: int64 and float64 differ.
int typeOf(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return 0;
    case json::value_t::boolean: return 1;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return 2;
    case json::value_t::number_float: return 3;
    case json::value_t::string: return 4;
    case json::value_t::object: return 5;
    case json::value_t::array: return 6;
    default: return 7;
  }
}

// reflect.DeepEqual over decoded JSON.
bool deepEqual(const json& a, const json& b) {
  if (typeOf(a) != typeOf(b)) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto other = b.find(it.key());
      if (other == b.end() || !deepEqual(it.value(), *other)) return false;
    }
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!deepEqual(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}

// fmt.Sprintf("%v", v) for the scalars merge keys and primitive lists hold.
std::string printed(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "<nil>";
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_float()) return goFloatG(v.get<double>());
  if (v.is_number()) return v.dump();
  return goJsonCompact(v);
}

bool isPrimitive(const json& v) { return !v.is_object() && !v.is_array(); }

const json& mergeKeyValue(const json& item, const std::string& mergeKey) {
  if (!item.is_object()) throw PatchError{"invalid value for a merge list: " + goJsonCompact(item)};
  auto it = item.find(mergeKey);
  if (it == item.end()) {
    throw PatchError{"map: " + goJsonCompact(item) + " does not contain declared merge key: " + mergeKey};
  }
  return *it;
}

// Elements of the lists are all maps or all primitives (sliceElementType).
bool listOfMaps(const json& a, const json& b) {
  int kind = -1;
  for (const json* list : {&a, &b}) {
    for (const auto& item : *list) {
      int t = typeOf(item);
      if (t == 6) throw PatchError{"lists of lists are not supported"};
      if (kind >= 0 && kind != t) throw PatchError{"list element types are not identical"};
      kind = t;
    }
  }
  return kind == 5;
}

// A stable insertion sort: the lists are short, and one plain function
// keeps std::stable_sort's instantiations out of the binary.
void stableSort(json& list, const std::function<bool(const json&, const json&)>& less) {
  for (size_t i = 1; i < list.size(); ++i) {
    for (size_t j = i; j > 0 && less(list[j], list[j - 1]); --j) std::swap(list[j], list[j - 1]);
  }
}

json sortedScalars(json list) {
  stableSort(list, [](const json& a, const json& b) { return printed(a) < printed(b); });
  return list;
}

json deduplicateScalars(json s) {
  // Go's in-place algorithm: a duplicate is replaced by the last element.
  long length = static_cast<long>(s.size()) - 1;
  for (long i = 0; i < length; ++i) {
    for (long j = i + 1; j <= length; ++j) {
      if (deepEqual(s[i], s[j])) {
        s[j] = s[length];
        s.erase(s.begin() + length);
        --length;
        --j;
      }
    }
  }
  return s;
}

long indexIn(const json& list, const json& value, const std::string& mergeKey, bool maps) {
  for (size_t i = 0; i < list.size(); ++i) {
    if (maps) {
      auto a = value.is_object() ? value.find(mergeKey) : value.end();
      auto b = list[i].is_object() ? list[i].find(mergeKey) : list[i].end();
      bool aMissing = !value.is_object() || a == value.end();
      bool bMissing = !list[i].is_object() || b == list[i].end();
      if (aMissing && bMissing) return static_cast<long>(i);
      if (!aMissing && !bMissing && deepEqual(*a, *b)) return static_cast<long>(i);
    } else if (deepEqual(list[i], value)) {
      return static_cast<long>(i);
    }
  }
  return -1;
}

bool isDeleteDirective(const json& item) {
  return item.is_object() && item.contains(kDirective) && item[kDirective] == "delete";
}

json normalizeSliceOrder(json toSort, const json& order, const std::string& mergeKey, bool maps) {
  json toDelete = json::array();
  if (maps) {
    json kept = json::array();
    for (auto& item : toSort) {
      mergeKeyValue(item, mergeKey);
      (isDeleteDirective(item) ? toDelete : kept).push_back(std::move(item));
    }
    toSort = std::move(kept);
  }
  stableSort(toSort, [&](const json& a, const json& b) {
    long ia = indexIn(order, a, mergeKey, maps), ib = indexIn(order, b, mergeKey, maps);
    if (ia >= 0 && ib >= 0) return ia < ib;
    return false;
  });
  for (auto& item : toDelete) toSort.push_back(std::move(item));
  return toSort;
}

json mergeSortedSlice(const json& left, const json& right, const json& serverOrder, const std::string& mergeKey,
                      bool maps) {
  json out = json::array();
  size_t i = 0, j = 0;
  while (i < left.size() || j < right.size()) {
    if (i >= left.size()) {
      out.push_back(right[j++]);
    } else if (j >= right.size()) {
      out.push_back(left[i++]);
    } else {
      long li = indexIn(serverOrder, left[i], mergeKey, maps), ri = indexIn(serverOrder, right[j], mergeKey, maps);
      if (li >= 0 && ri >= 0 && li < ri) out.push_back(left[i++]);
      else out.push_back(right[j++]);
    }
  }
  return out;
}

json normalizeElementOrder(const json& patch, const json& serverOnly, const json& patchOrder,
                           const json& serverOrder, const std::string& mergeKey, bool maps) {
  json sortedPatch = normalizeSliceOrder(patch, patchOrder, mergeKey, maps);
  json sortedServer = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, maps);
  return mergeSortedSlice(sortedServer, sortedPatch, serverOrder, mergeKey, maps);
}

void partition(const json& merged, const json& by, const std::string& mergeKey, bool maps, json* inBy,
               json* notInBy) {
  *inBy = json::array();
  *notInBy = json::array();
  for (const auto& item : merged) {
    bool found = maps ? indexIn(by, item, mergeKey, true) >= 0 : indexIn(by, item, "", false) >= 0;
    (found ? *inBy : *notInBy).push_back(item);
  }
}

// ---- diff ------------------------------------------------------------------

json diffMaps(const json& original, const json& modified, const Place& at, DiffOptions options);

void replaceIfNotEqual(const std::string& key, const json& original, const json& modified, json& patch,
                       const DiffOptions& options) {
  if (options.ignoreChangesAndAdditions || deepEqual(original, modified)) return;
  patch[key] = modified;
}

void diffListsOfMaps(const json& original, const json& modified, const Place& at, const std::string& mergeKey,
                     const DiffOptions& options, json* patch, json* deletions) {
  auto sortByKey = [&](json list) {
    for (const auto& item : list) mergeKeyValue(item, mergeKey);
    stableSort(list, [&](const json& a, const json& b) {
      return printed(a[mergeKey]) < printed(b[mergeKey]);
    });
    return list;
  };
  json o = sortByKey(original), m = sortByKey(modified);
  size_t oi = 0, mi = 0;
  while (oi < o.size() || mi < m.size()) {
    bool oIn = oi < o.size(), mIn = mi < m.size();
    std::string ok = oIn ? printed(o[oi][mergeKey]) : "";
    std::string mk = mIn ? printed(m[mi][mergeKey]) : "";
    if (oIn && mIn && ok == mk) {
      json value = diffMaps(o[oi], m[mi], at, options);
      if (!value.empty()) {
        value[mergeKey] = m[mi][mergeKey];
        patch->push_back(std::move(value));
      }
      ++oi;
      ++mi;
    } else if (!oIn || (mIn && ok > mk)) {
      if (!options.ignoreChangesAndAdditions) patch->push_back(m[mi]);
      ++mi;
    } else {
      if (!options.ignoreDeletions) {
        deletions->push_back({{mergeKey, o[oi][mergeKey]}, {kDirective, "delete"}});
      }
      ++oi;
    }
  }
}

void diffListsOfScalars(const json& original, const json& modified, const DiffOptions& options, json* additions,
                        json* deletions) {
  json o = sortedScalars(original), m = sortedScalars(modified);
  size_t oi = 0, mi = 0;
  while (oi < o.size() || mi < m.size()) {
    bool oIn = oi < o.size(), mIn = mi < m.size();
    std::string os = oIn ? printed(o[oi]) : "", ms = mIn ? printed(m[mi]) : "";
    if (oIn && mIn && os == ms) {
      ++oi;
      ++mi;
    } else if (!oIn || (mIn && os > ms)) {
      if (!options.ignoreChangesAndAdditions) additions->push_back(m[mi]);
      ++mi;
    } else {
      if (!options.ignoreDeletions) deletions->push_back(o[oi]);
      ++oi;
    }
  }
  *deletions = deduplicateScalars(*deletions);
}

bool orderSame(const json& original, const json& modified, const std::string& mergeKey) {
  if (original.size() != modified.size()) return false;
  for (size_t i = 0; i < modified.size(); ++i) {
    if (!deepEqual(mergeKeyValue(original[i], mergeKey), mergeKeyValue(modified[i], mergeKey))) return false;
  }
  return true;
}

void diffLists(const json& original, const json& modified, const Place& at, const std::string& mergeKey,
               const DiffOptions& options, json* patchList, json* deleteList, json* setOrderList) {
  *patchList = json::array();
  *deleteList = json::array();
  *setOrderList = json::array();
  if (original.empty()) {
    if (modified.empty() || options.ignoreChangesAndAdditions) return;
    *patchList = modified;
    return;
  }
  if (listOfMaps(original, modified)) {
    json deletions = json::array();
    diffListsOfMaps(original, modified, at, mergeKey, options, patchList, &deletions);
    *patchList = normalizeSliceOrder(*patchList, modified, mergeKey, true);
    bool same = orderSame(original, modified, mergeKey);
    for (auto& d : deletions) patchList->push_back(std::move(d));
    if (options.setElementOrder &&
        ((!options.ignoreChangesAndAdditions && (!patchList->empty() || !same)) ||
         (!options.ignoreDeletions && !patchList->empty()))) {
      for (const auto& item : modified) setOrderList->push_back({{mergeKey, item[mergeKey]}});
    }
  } else {
    diffListsOfScalars(original, modified, options, patchList, deleteList);
    *patchList = normalizeSliceOrder(*patchList, modified, "", false);
    if (options.setElementOrder && ((!options.ignoreDeletions && !deleteList->empty()) ||
                                    (!options.ignoreChangesAndAdditions && !deepEqual(original, modified)))) {
      *setOrderList = modified;
    }
  }
}

json diffMaps(const json& original, const json& modified, const Place& at, DiffOptions options) {
  json patch = json::object();
  json retainKeys = json::array();
  for (auto it = modified.begin(); it != modified.end(); ++it) {
    const std::string& key = it.key();
    const json& modifiedValue = it.value();
    if (options.buildRetainKeys && !modifiedValue.is_null()) retainKeys.push_back(key);
    auto found = original.find(key);
    if (found == original.end()) {
      if (!options.ignoreChangesAndAdditions) patch[key] = modifiedValue;
      continue;
    }
    const json& originalValue = *found;
    if (key == kDirective) {
      if (!originalValue.is_string() || !modifiedValue.is_string()) {
        throw PatchError{"invalid value for special key: $patch"};
      }
      if (originalValue != modifiedValue) patch[key] = modifiedValue;
      continue;
    }
    if (typeOf(originalValue) != typeOf(modifiedValue)) {
      if (!options.ignoreChangesAndAdditions) patch[key] = modifiedValue;
      continue;
    }
    if (originalValue.is_object()) {
      FieldMeta meta = lookup(at, key);
      DiffOptions inner = options;
      inner.buildRetainKeys = meta.retainKeys;
      json value = diffMaps(originalValue, modifiedValue, meta.child, inner);
      if (!value.empty()) patch[key] = std::move(value);
    } else if (originalValue.is_array()) {
      FieldMeta meta = lookup(at, key);
      if (meta.merge) {
        DiffOptions inner = options;
        inner.buildRetainKeys = meta.retainKeys;
        json add, del, order;
        diffLists(originalValue, modifiedValue, meta.child, meta.mergeKey, inner, &add, &del, &order);
        if (!add.empty()) patch[key] = std::move(add);
        if (!del.empty()) patch[kDeleteFromPrimitiveList + key] = std::move(del);
        if (!order.empty()) patch[kSetElementOrder + key] = std::move(order);
      } else {
        replaceIfNotEqual(key, originalValue, modifiedValue, patch, options);
      }
    } else {
      replaceIfNotEqual(key, originalValue, modifiedValue, patch, options);
    }
  }
  if (!options.ignoreDeletions) {
    for (auto it = original.begin(); it != original.end(); ++it) {
      if (!modified.contains(it.key())) patch[it.key()] = nullptr;
    }
  }
  if (!retainKeys.empty()) {
    bool additional = false;
    for (auto it = original.begin(); it != original.end(); ++it) {
      if (!it.value().is_null() && !modified.contains(it.key())) additional = true;
    }
    if (!patch.empty() || additional) patch[kRetainKeys] = sortedScalars(retainKeys);
  }
  return patch;
}

// ---- merging the deletions and the delta (MergeOptions{}: the client side) --

json mergeMap(json original, json patch, const Place& at);

json mergeSlice(json original, json patch, const Place& at, const std::string& mergeKey) {
  if (original.empty() && patch.empty()) return original;
  bool maps = listOfMaps(original, patch);
  json merged;
  if (!maps) {
    json both = original;
    for (const auto& p : patch) both.push_back(p);
    merged = deduplicateScalars(both);
  } else {
    if (mergeKey.empty()) throw PatchError{"cannot merge lists without merge key"};
    json plain = json::array();
    bool replace = false;
    for (const auto& item : patch) {
      if (!item.contains(kDirective)) {
        plain.push_back(item);
        continue;
      }
      const json& directive = item[kDirective];
      if (directive == "delete") {
        const json& value = mergeKeyValue(item, mergeKey);
        json kept = json::array();
        for (auto& o : original) {
          if (!(o.is_object() && o.contains(mergeKey) && deepEqual(o[mergeKey], value))) kept.push_back(std::move(o));
        }
        original = std::move(kept);
      } else if (directive == "replace") {
        replace = true;
      } else {
        throw PatchError{"Unknown patch type: " + printed(directive)};
      }
    }
    if (replace) {
      original = plain;
      plain = json::array();
    }
    for (const auto& item : plain) {
      const json& value = mergeKeyValue(item, mergeKey);
      bool found = false;
      for (auto& o : original) {
        if (o.is_object() && o.contains(mergeKey) && deepEqual(o[mergeKey], value)) {
          o = mergeMap(o, item, at);
          found = true;
          break;
        }
      }
      if (!found) original.push_back(item);
    }
    merged = original;
    patch = plain;
  }
  json inPatch, serverOnly;
  partition(merged, patch, mergeKey, maps, &inPatch, &serverOnly);
  return normalizeElementOrder(inPatch, serverOnly, patch, original, mergeKey, maps);
}

json mergeMap(json original, json patch, const Place& at) {
  if (patch.contains(kDirective)) {
    const json& directive = patch[kDirective];
    if (directive == "replace") {
      patch.erase(kDirective);
      return patch;
    }
    if (directive == "delete") return json::object();
    throw PatchError{"Unknown patch type: " + printed(directive)};
  }
  if (original.is_null()) original = json::object();
  if (patch.contains(kRetainKeys)) {
    json keys = patch[kRetainKeys];
    patch.erase(kRetainKeys);
    if (original.contains(kRetainKeys)) {
      if (!deepEqual(original[kRetainKeys], keys)) {
        throw PatchError{"$retainKeys directives differ: this may happen when calculating the 3-way diff patch"};
      }
    } else {
      original[kRetainKeys] = keys;
    }
  }
  // $setElementOrder lists: kept once, in original, with their list merged.
  std::vector<std::string> orderKeys;
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    if (it.key().rfind(kSetElementOrder, 0) == 0) orderKeys.push_back(it.key());
  }
  for (const auto& key : orderKeys) {
    json order = patch[key];
    if (original.contains(key)) {
      if (!deepEqual(original[key], order)) throw PatchError{"invalid patch: $setElementOrder lists differ"};
    } else {
      original[key] = order;
    }
    patch.erase(key);
    std::string listKey = key.substr(kSetElementOrder.size());
    bool inOriginal = original.contains(listKey), inPatch = patch.contains(listKey);
    if (!inOriginal && !inPatch) continue;
    FieldMeta meta = lookup(at, listKey);
    json merged;
    if (inOriginal && !inPatch) merged = original[listKey];
    else if (!inOriginal && inPatch) merged = patch[listKey];
    else if (meta.merge) merged = mergeSlice(original[listKey], patch[listKey], meta.child, meta.mergeKey);
    else merged = patch[listKey];
    if (!merged.is_array() || !order.is_array()) throw PatchError{"invalid patch: $setElementOrder needs lists"};
    bool maps = !meta.mergeKey.empty();
    json inOrder, serverOnly;
    partition(merged, order, meta.mergeKey, maps, &inOrder, &serverOnly);
    json originalList = inOriginal ? original[listKey] : json::array();
    original[listKey] = normalizeElementOrder(inOrder, serverOnly, order, originalList, meta.mergeKey, maps);
    patch.erase(listKey);
  }
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    const std::string& key = it.key();
    json& value = it.value();
    if (key.rfind(kDeleteFromPrimitiveList, 0) == 0) {
      original[key] = value;
      continue;
    }
    if (value.is_null()) original.erase(key);
    auto found = original.find(key);
    if (found == original.end() || typeOf(*found) != typeOf(value)) {
      original[key] = value;
      continue;
    }
    FieldMeta meta = lookup(at, key);
    if (found->is_object()) {
      *found = mergeMap(*found, value, meta.child);
    } else if (found->is_array()) {
      *found = meta.merge ? mergeSlice(*found, value, meta.child, meta.mergeKey) : value;
    } else {
      *found = value;
    }
  }
  return original;
}

}  // namespace

bool threeWayMergePatch(const std::string& group, const std::string& kind, const json& original,
                        const json& modified, const json& current, json* patch, std::string* error) {
  KindInfo info;
  info.group = group;
  info.kind = kind;
  Place top{patchSchemaForKind(info), "", &kind};
  const json empty = json::object();
  const json& o = original.is_object() ? original : empty;
  const json& m = modified.is_object() ? modified : empty;
  const json& c = current.is_object() ? current : empty;
  try {
    DiffOptions deltaOptions;
    deltaOptions.ignoreDeletions = true;
    deltaOptions.setElementOrder = true;
    json delta = diffMaps(c, m, top, deltaOptions);
    DiffOptions deletionOptions;
    deletionOptions.setElementOrder = true;
    deletionOptions.ignoreChangesAndAdditions = true;
    json deletions = diffMaps(o, m, top, deletionOptions);
    *patch = mergeMap(deletions, delta, top);
  } catch (const PatchError& e) {
    *error = e.message;
    return false;
  }
  // kubectl's preconditions: apply never renames or retypes an object.
  bool nameChanged = patch->contains("metadata") && (*patch)["metadata"].is_object() &&
                     (*patch)["metadata"].contains("name");
  if (patch->contains("apiVersion") || patch->contains("kind") || nameChanged) {
    *error = "At least one of apiVersion, kind and name was changed";
    return false;
  }
  return true;
}

}  // namespace minik
