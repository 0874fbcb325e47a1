// runtime-shim/file_tree.h — the file operations the runtime repeats: make
// and remove folder trees (never following symbolic links out of them), read
// and write small files, replace a file atomically (write, fsync, rename) so
// a crash leaves the old or the new content, never a mix.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace minik {

// mkdir -p (mode 0700 for new folders unless given).
bool makeDirs(const std::string& dir, unsigned mode = 0700);
// rm -rf without following symlinks; true when the path is gone.
bool removeTree(const std::string& path);
// The whole file, "" when unreadable.
std::string readFile(const std::string& path);
// null when unreadable or not JSON.
nlohmann::json readJsonFile(const std::string& path);
bool writeFile(const std::string& path, const std::string& content, unsigned mode = 0644);
bool writeFileAtomically(const std::string& path, const std::string& content, std::string* error);

}  // namespace minik
