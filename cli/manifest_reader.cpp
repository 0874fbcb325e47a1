#include "cli/manifest_reader.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/yaml_to_json.h"

namespace minik {

namespace {

using json = nlohmann::json;

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// k8s.io/apimachinery's YAMLReader: a line that is "---" followed only by
// blanks ends a document.
std::vector<std::string> splitYamlDocuments(const std::string& text) {
  std::vector<std::string> documents;
  std::string current;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    size_t next = end == std::string::npos ? text.size() : end + 1;
    std::string line = text.substr(pos, next - pos);
    bool separator = line.compare(0, 3, "---") == 0 &&
                     std::all_of(line.begin() + 3, line.end(), [](char c) { return isSpace(c); });
    if (separator) {
      documents.push_back(current);
      current.clear();
    } else {
      current += line;
    }
    pos = next;
  }
  documents.push_back(current);
  return documents;
}

// Go's json.Decoder over a stream of values; its error for a cut-short value
// is "unexpected EOF".
void parseJsonStream(const std::string& text, const std::string& source, std::vector<json>* out,
                     std::vector<std::string>* errors) {
  size_t pos = 0;
  while (true) {
    while (pos < text.size() && isSpace(text[pos])) ++pos;
    if (pos >= text.size()) return;
    // Find the end of one value by bracket depth, outside strings.
    int depth = 0;
    bool inString = false, escaped = false;
    size_t end = pos;
    for (; end < text.size(); ++end) {
      char c = text[end];
      if (inString) {
        if (escaped) escaped = false;
        else if (c == '\\') escaped = true;
        else if (c == '"') inString = false;
        continue;
      }
      if (c == '"') inString = true;
      else if (c == '{' || c == '[') ++depth;
      else if (c == '}' || c == ']') {
        if (--depth == 0) { ++end; break; }
      }
    }
    if (depth != 0 || inString) {
      errors->push_back("error parsing " + source + ": unexpected EOF");
      return;
    }
    try {
      out->push_back(json::parse(text.begin() + pos, text.begin() + end));
    } catch (const json::parse_error& e) {
      size_t offset = pos + (e.byte > 0 ? e.byte - 1 : 0);
      char bad = offset < text.size() ? text[offset] : '?';
      errors->push_back("error parsing " + source + ": invalid character '" + std::string(1, bad) +
                        "' looking for beginning of value");
      return;
    }
    pos = end;
  }
}

void addObject(json object, const std::string& source, ManifestSet* into) {
  if (object.is_null()) return;
  if (!object.is_object()) {
    into->errors.push_back("error parsing " + source +
                           ": json: cannot unmarshal " + std::string(object.is_array() ? "array" : "string") +
                           " into Go value of type map[string]interface {}");
    return;
  }
  std::string kind = object.value("kind", "");
  if (kind.size() >= 4 && kind.compare(kind.size() - 4, 4, "List") == 0 && object.contains("items") &&
      object["items"].is_array()) {
    for (auto& item : object["items"]) addObject(std::move(item), source, into);
    return;
  }
  std::vector<std::string> missing;
  if (!object.contains("apiVersion") || object["apiVersion"] == "") missing.push_back("apiVersion not set");
  if (!object.contains("kind") || object["kind"] == "") missing.push_back("kind not set");
  if (!missing.empty()) {
    std::string list = missing.size() == 1 ? missing[0] : "[" + missing[0] + ", " + missing[1] + "]";
    into->errors.push_back("error validating \"" + source + "\": error validating data: " + list +
                           "; if you choose to ignore these errors, turn validation off with --validate=false");
    return;
  }
  into->objects.push_back({std::move(object), source});
}

bool hasManifestExtension(const std::string& name) {
  for (const char* ext : {".json", ".yaml", ".yml"}) {
    size_t n = std::strlen(ext);
    if (name.size() >= n && name.compare(name.size() - n, n, ext) == 0) return true;
  }
  return false;
}

void readPath(const std::string& path, bool recursive, bool top, ManifestSet* into) {
  if (path == "-") {
    std::stringstream text;
    text << std::cin.rdbuf();
    parseManifestText(text.str(), "STDIN", into);
    return;
  }
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    into->errors.push_back("the path \"" + path + "\" does not exist");
    return;
  }
  if (S_ISDIR(st.st_mode)) {
    if (!top && !recursive) return;
    DIR* dir = opendir(path.c_str());
    if (!dir) {
      into->errors.push_back("error reading \"" + path + "\": " + std::strerror(errno));
      return;
    }
    std::vector<std::string> names;
    while (dirent* entry = readdir(dir)) {
      std::string name = entry->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    closedir(dir);
    std::sort(names.begin(), names.end());
    std::string prefix = path.back() == '/' ? path : path + "/";
    for (const auto& name : names) {
      std::string child = prefix + name;
      struct stat cst;
      if (stat(child.c_str(), &cst) != 0) continue;
      if (S_ISDIR(cst.st_mode)) {
        if (recursive) readPath(child, recursive, false, into);
      } else if (hasManifestExtension(name)) {
        readPath(child, recursive, false, into);
      }
    }
    return;
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    into->errors.push_back("error reading \"" + path + "\": " + std::strerror(errno));
    return;
  }
  std::stringstream text;
  text << file.rdbuf();
  parseManifestText(text.str(), path, into);
}

}  // namespace

void parseManifestText(const std::string& text, const std::string& source, ManifestSet* into) {
  size_t first = 0;
  while (first < text.size() && isSpace(text[first])) ++first;
  if (first < text.size() && text[first] == '{') {
    std::vector<json> values;
    parseJsonStream(text, source, &values, &into->errors);
    for (auto& v : values) addObject(std::move(v), source, into);
    return;
  }
  for (const auto& document : splitYamlDocuments(text)) {
    json object;
    std::string error;
    if (!yamlToJson(document, &object, &error)) {
      into->errors.push_back("error parsing " + source + ": error converting YAML to JSON: " + error);
      continue;
    }
    addObject(std::move(object), source, into);
  }
}

ManifestSet readManifests(const std::vector<std::string>& paths, bool recursive) {
  ManifestSet set;
  for (const auto& path : paths) readPath(path, recursive, true, &set);
  return set;
}

}  // namespace minik
