#include "controllers/object_fields.h"

namespace minik {

using nlohmann::json;

const json& at(const json& object, const char* pointer) {
  static const json null;
  const json* node = &object;
  const char* p = pointer;
  while (*p == '/') {
    const char* end = p + 1;
    while (*end && *end != '/') ++end;
    if (!node->is_object()) return null;
    std::string token(p + 1, end);
    // JSON pointer escapes: "~1" is '/', "~0" is '~'.
    for (size_t i = 0; (i = token.find('~', i)) != std::string::npos; ++i) {
      if (i + 1 < token.size()) token.replace(i, 2, token[i + 1] == '1' ? "/" : "~");
    }
    auto it = node->find(token);
    if (it == node->end()) return null;
    node = &*it;
    p = end;
  }
  return *node;
}

std::string stringAt(const json& object, const char* pointer) {
  const json& v = at(object, pointer);
  return v.is_string() ? v.get<std::string>() : std::string();
}

int64_t intAt(const json& object, const char* pointer, int64_t fallback) {
  const json& v = at(object, pointer);
  return v.is_number_integer() ? v.get<int64_t>() : fallback;
}

bool boolAt(const json& object, const char* pointer, bool fallback) {
  const json& v = at(object, pointer);
  return v.is_boolean() ? v.get<bool>() : fallback;
}

std::string objectKey(const std::string& ns, const std::string& name) {
  return ns.empty() ? name : ns + "/" + name;
}

std::string objectKey(const json& object) {
  return objectKey(stringAt(object, "/metadata/namespace"), stringAt(object, "/metadata/name"));
}

void splitKey(const std::string& key, std::string* ns, std::string* name) {
  size_t slash = key.find('/');
  if (slash == std::string::npos) {
    ns->clear();
    *name = key;
  } else {
    *ns = key.substr(0, slash);
    *name = key.substr(slash + 1);
  }
}

bool isBeingDeleted(const json& object) {
  return !stringAt(object, "/metadata/deletionTimestamp").empty();
}

bool hasFinalizer(const json& object, const std::string& finalizer) {
  const json& list = at(object, "/metadata/finalizers");
  if (!list.is_array()) return false;
  for (const auto& f : list) {
    if (f.is_string() && f.get_ref<const std::string&>() == finalizer) return true;
  }
  return false;
}

std::string controllerUid(const json& object) {
  const json& refs = at(object, "/metadata/ownerReferences");
  if (!refs.is_array()) return "";
  for (const auto& ref : refs) {
    if (boolAt(ref, "/controller")) return stringAt(ref, "/uid");
  }
  return "";
}

json controllerRef(const KindInfo& ownerKind, const json& owner) {
  return json{{"apiVersion", ownerKind.apiVersion()},
              {"kind", ownerKind.kind},
              {"name", stringAt(owner, "/metadata/name")},
              {"uid", stringAt(owner, "/metadata/uid")},
              {"controller", true},
              {"blockOwnerDeletion", true}};
}

}  // namespace minik
