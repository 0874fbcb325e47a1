#include "cmd/kubeconfig_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace minik {

namespace {

bool makeDirs(const std::string& dir) {
  if (dir.empty()) return true;
  struct stat st;
  if (stat(dir.c_str(), &st) == 0) return S_ISDIR(st.st_mode);
  size_t slash = dir.find_last_of('/');
  if (slash != std::string::npos && slash > 0 && !makeDirs(dir.substr(0, slash))) return false;
  return mkdir(dir.c_str(), 0755) == 0 || errno == EEXIST;
}

}  // namespace

bool writeKubeconfig(const std::string& path, const std::string& serverUrl, std::string* error) {
  std::string content =
      "apiVersion: v1\n"
      "kind: Config\n"
      "clusters:\n"
      "- cluster:\n"
      "    server: " + serverUrl + "\n"
      "  name: default\n"
      "contexts:\n"
      "- context:\n"
      "    cluster: default\n"
      "    user: default\n"
      "  name: default\n"
      "current-context: default\n"
      "preferences: {}\n"
      "users:\n"
      "- name: default\n"
      "  user: {}\n";
  size_t slash = path.find_last_of('/');
  if (slash != std::string::npos && !makeDirs(path.substr(0, slash))) {
    *error = "cannot create the folder of " + path + ": " + std::strerror(errno);
    return false;
  }
  std::string tmp = path + ".tmp";
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) {
    *error = "cannot write " + tmp + ": " + std::strerror(errno);
    return false;
  }
  bool ok = write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  ok = fsync(fd) == 0 && ok;
  close(fd);
  if (!ok || rename(tmp.c_str(), path.c_str()) != 0) {
    *error = "cannot write " + path + ": " + std::strerror(errno);
    unlink(tmp.c_str());
    return false;
  }
  return true;
}

}  // namespace minik
