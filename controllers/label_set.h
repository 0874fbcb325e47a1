// controllers/label_set.h — an immutable label map, shared by every view
// that carries the same labels.
//
// Why: the pods of one ReplicaSet carry identical labels, and both the
// workload and the endpoint controllers keep a view per pod. A std::map of
// two labels costs about 250 bytes; a LabelSet is one pointer to a map held
// once per distinct content (DESIGN.md, "Memory").
//
// Contract:
//  - A LabelSet reads as a const Labels (conversion, begin/end, find...);
//    it never changes after construction; assign a new one to relabel.
//  - Two LabelSets compare equal when their contents do.
//  - Distinct contents are interned (interned.h): safe from any thread.
#pragma once

#include <memory>

#include "api/labels.h"

namespace minik {

class LabelSet {
 public:
  LabelSet() = default;  // no labels
  LabelSet(Labels labels);  // NOLINT: implicit, so views assign a Labels

  const Labels& map() const { return labels_ ? *labels_ : noLabels(); }
  operator const Labels&() const { return map(); }  // NOLINT

  Labels::const_iterator begin() const { return map().begin(); }
  Labels::const_iterator end() const { return map().end(); }
  Labels::const_iterator find(const std::string& key) const { return map().find(key); }
  size_t count(const std::string& key) const { return map().count(key); }
  const std::string& at(const std::string& key) const { return map().at(key); }
  bool empty() const { return map().empty(); }
  size_t size() const { return map().size(); }

  bool operator==(const LabelSet& o) const { return labels_ == o.labels_ || map() == o.map(); }
  bool operator!=(const LabelSet& o) const { return !(*this == o); }

 private:
  static const Labels& noLabels();

  std::shared_ptr<const Labels> labels_;  // null: no labels
};

}  // namespace minik
