// cli/manifest_reader.h — the objects of `-f` arguments, read as kubectl
// reads them: a file, a directory (its .json, .yaml and .yml files in name
// order; with recursive, its subdirectories too) or "-" for standard input;
// each file a stream of YAML documents split on "---" lines, or of JSON
// values when it starts with '{'; `kind: List` (and any *List) expanded into
// its items. Empty documents are skipped.
//
// A document that cannot be read becomes an error in the result, worded as
// kubectl's (`error parsing app.yaml: error converting YAML to JSON: yaml:
// line 4: ...`), and reading goes on with the next document, so the caller
// can apply what is good and report each failure.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace minik {

struct Manifest {
  nlohmann::json object;
  std::string source;  // the file it came from, "STDIN" for "-"
};

struct ManifestSet {
  std::vector<Manifest> objects;
  std::vector<std::string> errors;  // without the "error: " prefix
};

ManifestSet readManifests(const std::vector<std::string>& paths, bool recursive);

// One file's text; exposed for tests.
void parseManifestText(const std::string& text, const std::string& source, ManifestSet* into);

}  // namespace minik
