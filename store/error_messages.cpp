// Kubernetes wording for store errors (k8s.io/apiserver storage and
// apimachinery errors).
#include "store/error_messages.h"

namespace minik {
namespace {

std::string quoted(const StoreKey& key) { return key.resource + " \"" + key.name + "\""; }

// The etcd key Kubernetes would report: /registry/<resource>/<ns>/<name>,
// with the resource's group dropped as the default registry paths do.
std::string registryKey(const StoreKey& key) {
  std::string resource = key.resource.substr(0, key.resource.find('.'));
  std::string path = "/registry/" + resource + "/";
  if (!key.ns.empty()) path += key.ns + "/";
  return path + key.name;
}

}  // namespace

std::string notFoundMessage(const StoreKey& key) { return quoted(key) + " not found"; }

std::string alreadyExistsMessage(const StoreKey& key) { return quoted(key) + " already exists"; }

std::string modifiedConflictMessage() {
  return "the object has been modified; please apply your changes to the latest version and try again";
}

std::string preconditionConflictMessage(const StoreKey& key, const std::string& what,
                                        const std::string& expected, const std::string& actual) {
  return "StorageError: invalid object, Code: 4, Key: " + registryKey(key) +
         ", ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: " + what +
         " in precondition: " + expected + ", " + what + " in object meta: " + actual;
}

std::string tooOldResourceVersionMessage(int64_t requested, int64_t oldest) {
  return "too old resource version: " + std::to_string(requested) + " (" + std::to_string(oldest) +
         ")";
}

std::string continueTooOldMessage() {
  return "The provided continue parameter is too old to display a consistent list result. You can "
         "start a new list without the continue parameter.";
}

}  // namespace minik
