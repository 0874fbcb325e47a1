#include "controllers/label_set.h"

#include "controllers/interned.h"

namespace minik {

namespace {

struct LabelsHash {
  size_t operator()(const Labels& labels) const {
    size_t h = labels.size();
    std::hash<std::string> hash;
    for (const auto& [key, value] : labels) {
      h = h * 1000003u ^ hash(key);
      h = h * 1000003u ^ hash(value);
    }
    return h;
  }
};

}  // namespace

LabelSet::LabelSet(Labels labels) {
  if (!labels.empty()) labels_ = intern<Labels, LabelsHash>(std::move(labels));
}

const Labels& LabelSet::noLabels() {
  static const Labels* none = new Labels;
  return *none;
}

}  // namespace minik
