// controllers/view_cache.h — compact views of the objects of one kind, kept
// from informer events and from the answers to our own writes, indexed by
// the uid of their controlling owner.
//
// Why our own writes: watch events arrive on a later loop turn, so a
// controller that just created two pods must see them at once or it would
// create them again. Hence:
//  - upsert() ignores a state older than the one held (by resourceVersion);
//  - forgetDeleted() drops an object we deleted and ignores its late events
//    until its Deleted event (or a newer uid under the same name) arrives.
// Listeners are called on every change that is applied, with the view
// before (null when new) and after (null when gone).
//
// Memory: one view per object, found by a digest of its "ns/name" (the view
// holds the names; no key string), and the owner index holds pointers.
//
// View requirements: fields ns, name, uid (std::string), ownerUid (reads as
// a std::string), revision (int64_t), and a static View fromObject(const nlohmann::json&).
#pragma once

#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "controllers/object_fields.h"

namespace minik {

template <class View>
class ViewCache {
 public:
  using Listener = std::function<void(const View* before, const View* after)>;

  void listen(Listener listener) { listeners_.push_back(std::move(listener)); }

  void upsert(const nlohmann::json& object) {
    std::string key = objectKey(object);
    int64_t revision = std::atoll(stringAt(object, "/metadata/resourceVersion").c_str());
    std::string uid = stringAt(object, "/metadata/uid");
    auto tomb = tombstones_.find(key);
    if (tomb != tombstones_.end()) {
      if (tomb->second == uid) return;  // a late event of what we deleted
      tombstones_.erase(tomb);
    }
    auto it = locate(key);
    if (it != views_.end() && it->second.uid == uid && it->second.revision >= revision) return;
    View next = View::fromObject(object);
    next.revision = revision;
    if (it == views_.end()) {
      auto& stored = views_.emplace(digest(key), std::move(next))->second;
      index(stored);
      notify(nullptr, &stored);
      return;
    }
    unindex(it->second);
    View before = std::move(it->second);
    it->second = std::move(next);
    index(it->second);
    notify(&before, &it->second);
  }

  // From a Deleted event (or an informer resync, which knows only the name).
  void remove(const nlohmann::json& object) {
    std::string key = objectKey(object);
    tombstones_.erase(key);
    erase(key);
  }

  void forgetDeleted(const std::string& ns, const std::string& name) {
    std::string key = objectKey(ns, name);
    auto it = locate(key);
    if (it == views_.end()) return;
    tombstones_[key] = it->second.uid;
    erase(key);
  }

  const View* find(const std::string& key) const {
    auto it = locate(key);
    return it == views_.end() ? nullptr : &it->second;
  }

  std::vector<const View*> ownedBy(const std::string& ownerUid) const {
    std::vector<const View*> out;
    auto it = byOwner_.find(ownerUid);
    if (it == byOwner_.end()) return out;
    out.assign(it->second.begin(), it->second.end());
    return out;
  }

  template <class F>
  void forEach(F f) const {
    for (const auto& [key, view] : views_) f(view);
  }

  size_t size() const { return views_.size(); }

 private:
  using Views = std::unordered_multimap<uint64_t, View>;

  static uint64_t digest(const std::string& key) {
    uint64_t h = 14695981039346656037ull;  // FNV-1a
    for (unsigned char c : key) {
      h ^= c;
      h *= 1099511628211ull;
    }
    return h;
  }

  // Is this the view of objectKey(ns, name)? (Views of different keys may
  // share a digest; they are told apart here.)
  static bool hasKey(const View& v, const std::string& key) {
    const std::string& ns = v.ns;
    const std::string& name = v.name;
    if (ns.empty()) return key == name;  // objectKey of a cluster-scoped object
    return key.size() == ns.size() + 1 + name.size() && key.compare(0, ns.size(), ns) == 0 &&
           key[ns.size()] == '/' && key.compare(ns.size() + 1, std::string::npos, name) == 0;
  }

  typename Views::const_iterator locate(const std::string& key) const {
    auto range = views_.equal_range(digest(key));
    for (auto it = range.first; it != range.second; ++it) {
      if (hasKey(it->second, key)) return it;
    }
    return views_.end();
  }

  typename Views::iterator locate(const std::string& key) {
    auto range = views_.equal_range(digest(key));
    for (auto it = range.first; it != range.second; ++it) {
      if (hasKey(it->second, key)) return it;
    }
    return views_.end();
  }

  // Views are indexed where they are stored: a node of views_ keeps its
  // address until it is erased, and is unindexed before it changes.
  void index(const View& v) {
    if (!v.ownerUid.empty()) byOwner_[v.ownerUid].insert(&v);
  }

  void unindex(const View& v) {
    if (v.ownerUid.empty()) return;
    auto it = byOwner_.find(v.ownerUid);
    if (it == byOwner_.end()) return;
    it->second.erase(&v);
    if (it->second.empty()) byOwner_.erase(it);
  }

  void erase(const std::string& key) {
    auto it = locate(key);
    if (it == views_.end()) return;
    unindex(it->second);
    View before = std::move(it->second);
    views_.erase(it);
    notify(&before, nullptr);
  }

  void notify(const View* before, const View* after) {
    for (auto& l : listeners_) l(before, after);
  }

  Views views_;  // by digest of "ns/name": the view itself holds the names
  std::unordered_map<std::string, std::unordered_set<const View*>> byOwner_;  // owner uid -> views
  std::unordered_map<std::string, std::string> tombstones_;  // key -> uid we deleted
  std::vector<Listener> listeners_;
};

}  // namespace minik
