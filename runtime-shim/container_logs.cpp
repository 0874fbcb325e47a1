#include "runtime-shim/container_logs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime-shim/file_tree.h"

namespace minik {

ContainerLogs::ContainerLogs(std::string dir, int64_t maxBytes) : dir_(std::move(dir)), maxBytes_(maxBytes) {}

std::string ContainerLogs::pathOf(int attempt) const { return dir_ + "/" + std::to_string(attempt) + ".log"; }

void ContainerLogs::prepare(int attempt) {
  makeDirs(dir_);
  DIR* d = opendir(dir_.c_str());
  if (!d) return;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    int number = std::atoi(name.c_str());
    if (number < attempt - 1) unlink((dir_ + "/" + name).c_str());
  }
  closedir(d);
}

void ContainerLogs::rotateIfLarge(int attempt) {
  std::string path = pathOf(attempt);
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || st.st_size <= maxBytes_) return;
  std::string content = readFile(path);
  writeFile(path + ".1", content, 0640);
  // The container writes with O_APPEND: after the truncation its next write
  // lands at the new end. Output written between the copy and the
  // truncation is lost; that is the price of keeping minik out of the path.
  truncate(path.c_str(), 0);
}

std::string ContainerLogs::read(int attempt, int64_t tailLines, int64_t limitBytes) const {
  std::string text = readFile(pathOf(attempt) + ".1") + readFile(pathOf(attempt));
  text = lastLines(text, tailLines);
  if (limitBytes > 0 && static_cast<int64_t>(text.size()) > limitBytes) {
    text = text.substr(0, static_cast<size_t>(limitBytes));
  }
  return text;
}

std::string lastLines(const std::string& text, int64_t n) {
  if (n < 0) return text;
  if (n == 0) return "";
  size_t end = text.size();
  // A final newline ends the last line; it does not start another.
  size_t at = end > 0 && text[end - 1] == '\n' ? end - 1 : end;
  int64_t seen = 0;
  while (at > 0) {
    size_t newline = text.rfind('\n', at - 1);
    if (newline == std::string::npos) return text;
    if (++seen == n) return text.substr(newline + 1);
    at = newline;
  }
  return text;
}

}  // namespace minik
