// api/patch_strategy.h — how a strategic merge patch treats each field of
// the built-in kinds: the patchStrategy and patchMergeKey struct tags of
// k8s.io/api (core/v1, apps/v1, meta/v1), as a tree of object schemas.
//
// Contract: the tree only holds the fields that lead to a list with the
// "merge" strategy. Every other field is "unknown" here and gets the default
// strategy, which is what Kubernetes does for an untagged field: maps merge
// key by key, lists are replaced whole. The tables are static and immutable;
// pointers to schemas stay valid for the life of the process.
#pragma once

#include <string_view>

#include "api/kinds.h"

namespace minik {

// The fields of one Go struct that matter to strategic merge patch.
struct ObjectSchema;

struct FieldStrategy {
  // patchStrategy:"merge": the list is merged, by mergeKey for lists of
  // objects, as a set for lists of primitives (ObjectMeta.finalizers).
  bool mergeList = false;
  // patchMergeKey; empty for a set of primitives and for fields not merged.
  std::string_view mergeKey;
  // The schema of the field's object, or of the list's elements; nullptr when
  // nothing below the field is tagged.
  const ObjectSchema* schema = nullptr;
};

// The schema of a kind's top-level object; never nullptr for a kind of
// allKinds() (every kind has at least ObjectMeta), nullptr for other kinds.
const ObjectSchema* patchSchemaForKind(const KindInfo& kind);

// How `field` of an object of `schema` is patched; the default strategy
// (replace lists, merge maps) when schema is nullptr or the field is untagged.
FieldStrategy fieldStrategy(const ObjectSchema* schema, std::string_view field);

}  // namespace minik
