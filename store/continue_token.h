// store/continue_token.h — the opaque `continue` value of a paged list.
//
// A token names the store revision the first page was read at and the last
// key (namespace, name) a page returned; the next page starts after that key.
// Its shape follows Kubernetes' own tokens: unpadded URL-safe base64 of
// {"v":"meta.k8s.io/v1","rv":<revision>,"start":"<namespace>/<name>"}.
// Namespaces and names never contain '/', so the split is unambiguous.
#pragma once

#include <cstdint>
#include <string>

namespace minik {

struct ListPosition {
  int64_t revision = 0;  // the revision the list started at
  std::string ns;        // the last key returned
  std::string name;
};

std::string encodeContinueToken(const ListPosition& position);

// False (with error set, worded for a 400 Bad Request) when token is not one
// encodeContinueToken made.
bool decodeContinueToken(const std::string& token, ListPosition* position, std::string* error);

}  // namespace minik
