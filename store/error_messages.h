// store/error_messages.h — the wording of store errors, as the Kubernetes
// API server words the same failures, so the apiserver can put them in a
// metav1.Status unchanged (Conflict messages are the part after
// `Operation cannot be fulfilled on pods "x": `, which the apiserver adds).
#pragma once

#include <cstdint>
#include <string>

#include "store/store.h"

namespace minik {

// `pods "x" not found`
std::string notFoundMessage(const StoreKey& key);
// `pods "x" already exists`
std::string alreadyExistsMessage(const StoreKey& key);
// A stale resourceVersion on update.
std::string modifiedConflictMessage();
// A failed delete precondition, as the storage layer reports it; what is
// "UID" or "ResourceVersion".
std::string preconditionConflictMessage(const StoreKey& key, const std::string& what,
                                        const std::string& expected, const std::string& actual);
// A watch or continued list from a compacted revision.
std::string tooOldResourceVersionMessage(int64_t requested, int64_t oldest);
std::string continueTooOldMessage();

}  // namespace minik
