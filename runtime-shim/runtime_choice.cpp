#include "runtime-shim/runtime_choice.h"

#include <linux/magic.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cstdlib>

#include "runtime-shim/file_tree.h"

namespace minik {

namespace {

std::string baseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Why crun cannot run containers on this layout ("" when it can). crun
// checks this itself on every create and fails with "cgroups in hybrid mode
// not supported, drop all controllers from cgroupv2".
std::string crunCannotRun(const CgroupFacts& facts) {
  if (facts.layout != CgroupLayout::Hybrid || facts.hybridControllers.empty()) return "";
  return "hybrid cgroups: cgroup v1 with a cgroup2 mount that has controllers (" + facts.hybridControllers +
         "), which crun refuses";
}

}  // namespace

CgroupFacts readCgroupFacts(const std::string& root) {
  CgroupFacts facts;
  struct statfs fs;
  if (statfs(root.c_str(), &fs) != 0) return facts;
  if (fs.f_type == CGROUP2_SUPER_MAGIC) {
    facts.layout = CgroupLayout::Unified;
  } else if (fs.f_type == TMPFS_MAGIC) {
    struct statfs unified;
    std::string unifiedDir = root + "/unified";
    if (statfs(unifiedDir.c_str(), &unified) == 0 && unified.f_type == CGROUP2_SUPER_MAGIC) {
      facts.layout = CgroupLayout::Hybrid;
      std::string controllers = readFile(unifiedDir + "/cgroup.controllers");
      while (!controllers.empty() && (controllers.back() == '\n' || controllers.back() == ' ')) {
        controllers.pop_back();
      }
      facts.hybridControllers = controllers;
    } else {
      facts.layout = CgroupLayout::Legacy;
    }
  }
  return facts;
}

RuntimeChoice chooseOciRuntime(const std::string& preference, const CgroupFacts& facts,
                               const PathLookup& lookPath) {
  RuntimeChoice choice;
  if (preference == "none") {
    choice.reason = "none (--container-runtime none): pods bound to this node stay Pending";
    return choice;
  }
  if (!preference.empty() && preference != "auto") {
    choice.path = lookPath(preference);
    choice.name = baseName(preference);
    if (choice.path.empty()) {
      choice.refused = true;
      choice.reason = "container runtime \"" + preference + "\" not found";
    } else if (choice.name == "crun" && !crunCannotRun(facts).empty()) {
      choice.refused = true;
      choice.reason = "crun cannot run containers on this node (" + crunCannotRun(facts) +
                      "); use --container-runtime runc";
    } else {
      choice.reason = choice.name + " chosen (--container-runtime " + preference + ")";
    }
    if (choice.refused) choice.path.clear();
    return choice;
  }
  std::string skipped;
  for (const char* name : {"crun", "runc"}) {
    std::string path = lookPath(name);
    std::string why = path.empty() ? "not found" : name == std::string("crun") ? crunCannotRun(facts) : "";
    if (why.empty()) {
      choice.path = path;
      choice.name = name;
      choice.reason = choice.name + " chosen (" + (skipped.empty() ? "the first of crun, runc found" : skipped) + ")";
      return choice;
    }
    skipped += std::string(skipped.empty() ? "" : "; ") + name + (path.empty() ? " " : " skipped: ") + why;
  }
  choice.reason = "none usable (" + skipped +
                  "): pods bound to this node stay Pending; install runc or crun (Debian packages) to run them";
  return choice;
}

std::string findExecutable(const std::string& name) {
  if (name.find('/') != std::string::npos) return access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = getenv("PATH");
  std::string dirs = path && *path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  dirs += ":/usr/sbin:/sbin:/usr/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t colon = dirs.find(':', start);
    if (colon == std::string::npos) colon = dirs.size();
    std::string candidate = dirs.substr(start, colon - start) + "/" + name;
    if (colon > start && access(candidate.c_str(), X_OK) == 0) return candidate;
    start = colon + 1;
  }
  return "";
}

}  // namespace minik
