// controllers/label_pair_index.h — views indexed by (namespace, label key,
// label value), so that "which pods could this selector match" and "which
// Services could select this pod" cost the size of one label's bucket, not
// the size of the namespace. Without it the endpoint controller was
// quadratic: every Service sync scanned every pod of its namespace, every
// pod event every Service. A bucket is a sorted vector: 8 bytes a view,
// where a set node cost 48 (DESIGN.md, "Memory").
//
// Contract: the index holds pointers, not views; the owner adds a view
// under the labels it has and removes it under the same labels before the
// view changes its labels or dies. A bucket lists its views ordered by
// name (views of one namespace have distinct names), so callers see the
// same order as a scan of a name-ordered map.
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace minik {

template <class View>
class LabelPairIndex {
 public:
  struct ByName {
    bool operator()(const View* a, const View* b) const { return a->name < b->name; }
  };
  using Bucket = std::vector<const View*>;  // ordered by name, one view a name

  void add(const std::string& ns, const std::map<std::string, std::string>& labels, const View* view) {
    for (const auto& [key, value] : labels) {
      Bucket& bucket = buckets_[bucketKey(ns, key, value)];
      auto at = std::lower_bound(bucket.begin(), bucket.end(), view, ByName());
      if (at == bucket.end() || ByName()(view, *at)) bucket.insert(at, view);
    }
  }

  void remove(const std::string& ns, const std::map<std::string, std::string>& labels, const View* view) {
    for (const auto& [key, value] : labels) {
      auto it = buckets_.find(bucketKey(ns, key, value));
      if (it == buckets_.end()) continue;
      Bucket& bucket = it->second;
      auto at = std::lower_bound(bucket.begin(), bucket.end(), view, ByName());
      if (at != bucket.end() && !ByName()(view, *at)) bucket.erase(at);
      if (bucket.empty()) buckets_.erase(it);
    }
  }

  // The views carrying key=value in ns; null when none.
  const Bucket* find(const std::string& ns, const std::string& key, const std::string& value) const {
    auto it = buckets_.find(bucketKey(ns, key, value));
    return it == buckets_.end() ? nullptr : &it->second;
  }

 private:
  // '\n' appears in no namespace or label key, so the parts cannot run
  // into each other.
  static std::string bucketKey(const std::string& ns, const std::string& key, const std::string& value) {
    return ns + '\n' + key + '\n' + value;
  }

  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace minik
