// ConfigMap and Secret validation (core validation's ValidateConfigMap,
// ValidateSecret and their update rules: immutable data once `immutable` is
// set, a Secret's type never changes).
#include "api/json_fields.h"
#include "api/kind_rules.h"
#include "api/names.h"
#include "api/validation_messages.h"

namespace minik {

namespace {

constexpr long long kMaxSize = 1024 * 1024;  // core.MaxSecretSize, for ConfigMaps too

// Bytes a base64 string decodes to.
long long decodedSize(const std::string& b64) {
  size_t padding = 0;
  for (auto it = b64.rbegin(); it != b64.rend() && *it == '=' && padding < 2; ++it) ++padding;
  return static_cast<long long>(b64.size() / 4 * 3) - static_cast<long long>(padding);
}

long long validateKeys(const json* data, const std::string& path, bool base64Values, FieldErrors& errors) {
  long long total = 0;
  if (data == nullptr || !data->is_object()) return total;
  for (const auto& [key, value] : data->items()) {
    appendInvalid(keyed(path, key), key, checkConfigMapKey(key), errors);
    if (value.is_string()) {
      const std::string& s = value.get_ref<const std::string&>();
      total += base64Values ? decodedSize(s) : static_cast<long long>(s.size());
    }
  }
  return total;
}

bool isImmutable(const json* object) {
  const json* v = object ? member(*object, "immutable") : nullptr;
  return v && v->is_boolean() && v->get<bool>();
}

// Once immutable, data stays and immutable stays true.
void validateImmutableUpdate(const json& object, const json* old, const std::vector<const char*>& dataKeys,
                             FieldErrors& errors) {
  if (!isImmutable(old)) return;
  if (!isImmutable(&object)) {
    errors.push_back(forbiddenError("immutable", "field is immutable when `immutable` is set"));
  }
  for (const char* key : dataKeys) {
    const json* now = member(object, key);
    const json* was = member(*old, key);
    bool nowEmpty = now == nullptr || now->empty();
    bool wasEmpty = was == nullptr || was->empty();
    if (nowEmpty != wasEmpty || (!nowEmpty && *now != *was)) {
      errors.push_back(forbiddenError(key, "field is immutable when `immutable` is set"));
    }
  }
}

}  // namespace

void validateConfigMap(const json& configMap, const json* old, FieldErrors& errors) {
  const json* data = member(configMap, "data");
  const json* binary = member(configMap, "binaryData");
  long long total = validateKeys(data, "data", false, errors);
  if (data && data->is_object() && binary && binary->is_object()) {
    for (const auto& [key, value] : data->items()) {
      if (binary->contains(key)) {
        errors.push_back(invalidError(keyed("data", key), BadValue::quoted(key), "duplicate of key present in binaryData"));
      }
    }
  }
  total += validateKeys(binary, "binaryData", true, errors);
  if (total > kMaxSize) errors.push_back(tooLongError("", kMaxSize));
  validateImmutableUpdate(configMap, old, {"data", "binaryData"}, errors);
}

void validateSecret(const json& secret, const json* old, FieldErrors& errors) {
  const json* data = member(secret, "data");
  long long total = validateKeys(data, "data", true, errors);
  if (total > kMaxSize) errors.push_back(tooLongError("data", kMaxSize));
  auto has = [&](const char* key) { return data && data->is_object() && data->contains(key); };
  std::string type = stringMember(secret, "type");
  if (type == "kubernetes.io/service-account-token") {
    const json* meta = member(secret, "metadata");
    const json* annotations = meta ? member(*meta, "annotations") : nullptr;
    if (annotations == nullptr || stringMember(*annotations, "kubernetes.io/service-account.name").empty()) {
      errors.push_back(requiredError("metadata.annotations[kubernetes.io/service-account.name]"));
    }
  } else if (type == "kubernetes.io/dockercfg") {
    if (!has(".dockercfg")) errors.push_back(requiredError("data[.dockercfg]"));
  } else if (type == "kubernetes.io/dockerconfigjson") {
    if (!has(".dockerconfigjson")) errors.push_back(requiredError("data[.dockerconfigjson]"));
  } else if (type == "kubernetes.io/basic-auth") {
    if (!has("username") && !has("password")) {
      errors.push_back(requiredError("data[username]"));
      errors.push_back(requiredError("data[password]"));
    }
  } else if (type == "kubernetes.io/ssh-auth") {
    if (!has("ssh-privatekey") || (*data)["ssh-privatekey"] == "") errors.push_back(requiredError("data[ssh-privatekey]"));
  } else if (type == "kubernetes.io/tls") {
    if (!has("tls.crt")) errors.push_back(requiredError("data[tls.crt]"));
    if (!has("tls.key")) errors.push_back(requiredError("data[tls.key]"));
  }
  if (old) {
    std::string oldType = stringMember(*old, "type");
    if (oldType != type) errors.push_back(invalidError("type", BadValue::quoted(type), kImmutableMessage));
    validateImmutableUpdate(secret, old, {"data"}, errors);
  }
}

}  // namespace minik
