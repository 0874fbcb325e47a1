#include "runtime-shim/image_reference.h"

#include <cctype>

namespace minik {

std::string normalizeImageReference(const std::string& text) {
  if (text.empty() || text.find_first_of(" \t\n") != std::string::npos) return "";
  std::string name = text, suffix;
  size_t at = name.find('@');
  if (at != std::string::npos) {
    suffix = name.substr(at);
    name = name.substr(0, at);
  } else {
    size_t colon = name.find_last_of(':');
    size_t slash = name.find_last_of('/');
    if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
      suffix = name.substr(colon);
      name = name.substr(0, colon);
    } else {
      suffix = ":latest";
    }
  }
  if (name.empty()) return "";
  size_t slash = name.find('/');
  std::string first = slash == std::string::npos ? "" : name.substr(0, slash);
  bool hasRegistry = !first.empty() && (first.find('.') != std::string::npos ||
                                        first.find(':') != std::string::npos || first == "localhost");
  if (!hasRegistry) {
    name = (slash == std::string::npos ? "docker.io/library/" : "docker.io/") + name;
  }
  for (char c : name) {
    if (std::isupper(static_cast<unsigned char>(c))) return "";
  }
  return name + suffix;
}

void splitImageReference(const std::string& normalized, std::string* repository, std::string* tag) {
  size_t at = normalized.find('@');
  if (at != std::string::npos) {
    *repository = normalized.substr(0, at);
    *tag = "<none>";
    return;
  }
  size_t colon = normalized.find_last_of(':');
  size_t slash = normalized.find_last_of('/');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    *repository = normalized.substr(0, colon);
    *tag = normalized.substr(colon + 1);
  } else {
    *repository = normalized;
    *tag = "latest";
  }
}

}  // namespace minik
