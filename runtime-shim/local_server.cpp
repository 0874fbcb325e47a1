#include "runtime-shim/local_server.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdlib>
#include <vector>

#include "runtime-shim/file_tree.h"

namespace minik {

const char* const kDefaultDataDir = "/var/lib/minik";

namespace {

std::vector<std::string> splitNul(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\0', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

ino_t netnsOf(const std::string& procDir) {
  struct stat st;
  return stat((procDir + "/ns/net").c_str(), &st) == 0 ? st.st_ino : 0;
}

std::string baseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::string serverDataDir(const std::string& nulSeparatedArgs, const std::string& cwd) {
  std::string dir = kDefaultDataDir;
  std::vector<std::string> args = splitNul(nulSeparatedArgs);
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--data-dir" && i + 1 < args.size()) dir = args[++i];
    else if (args[i].rfind("--data-dir=", 0) == 0) dir = args[i].substr(11);
  }
  if (!dir.empty() && dir[0] != '/' && !cwd.empty()) dir = cwd + "/" + dir;
  return dir;
}

LocalServer findLocalServer() {
  LocalServer found;
  const ino_t ours = netnsOf("/proc/self");
  DIR* proc = opendir("/proc");
  if (!proc || ours == 0) {
    if (proc) closedir(proc);
    return found;
  }
  std::vector<pid_t> pids;
  while (dirent* entry = readdir(proc)) {
    if (!std::isdigit(static_cast<unsigned char>(entry->d_name[0]))) continue;
    pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
    if (pid != getpid()) pids.push_back(pid);
  }
  closedir(proc);
  std::sort(pids.begin(), pids.end());
  for (pid_t pid : pids) {
    const std::string dir = "/proc/" + std::to_string(pid);
    std::vector<std::string> argv = splitNul(readFile(dir + "/cmdline"));
    if (argv.size() < 2 || baseName(argv[0]) != "minik" || argv[1] != "server") continue;
    if (netnsOf(dir) != ours) continue;
    char cwd[PATH_MAX] = {0};
    ssize_t n = readlink((dir + "/cwd").c_str(), cwd, sizeof cwd - 1);
    std::string args;
    for (size_t i = 2; i < argv.size(); ++i) args += argv[i] + '\0';
    found.pid = pid;
    found.dataDir = serverDataDir(args, n > 0 ? std::string(cwd, static_cast<size_t>(n)) : "");
    return found;
  }
  return found;
}

}  // namespace minik
