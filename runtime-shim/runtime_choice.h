// runtime-shim/runtime_choice.h — which OCI runtime runs this node's pods,
// and why. The default order is crun, then runc (both Debian packages), but
// a runtime that cannot work with the node's cgroup layout is skipped: crun
// refuses "hybrid" nodes (cgroup v1 hierarchies with a cgroup2 mount at
// <root>/unified that has controllers enabled), which runc handles.
//
// Contract:
//  - chooseOciRuntime() is pure: the cgroup facts and the PATH lookup are
//    given, so every branch can be tested without the machine's layout.
//  - A choice always carries a one-line reason for the server's log.
//  - A runtime asked for by name that is missing or cannot work here is
//    refused (the server must not start half-working); "auto" never
//    refuses: with neither runtime usable, pods stay Pending.
#pragma once

#include <functional>
#include <string>

namespace minik {

enum class CgroupLayout { Unified, Hybrid, Legacy, Unknown };

struct CgroupFacts {
  CgroupLayout layout = CgroupLayout::Unknown;
  std::string hybridControllers;  // Hybrid only: <root>/unified/cgroup.controllers, "" when none
};

// Reads the layout the way crun does: cgroup2 at root is Unified; a tmpfs
// at root with cgroup2 at root/unified is Hybrid; any other tmpfs is Legacy.
CgroupFacts readCgroupFacts(const std::string& root = "/sys/fs/cgroup");

struct RuntimeChoice {
  std::string path;      // the runtime binary; "" when no runtime runs pods
  std::string name;      // its file name: "crun", "runc", ...
  std::string reason;    // why, for the log
  bool refused = false;  // a named runtime that is missing or cannot work here
};

// name -> absolute path of an executable, "" when there is none.
using PathLookup = std::function<std::string(const std::string& name)>;

// preference: "auto" (or ""), "none", or a runtime's name or path.
RuntimeChoice chooseOciRuntime(const std::string& preference, const CgroupFacts& facts,
                               const PathLookup& lookPath);

// An executable by name on PATH (then /usr/sbin, /sbin, /usr/bin, where
// root's runtimes live when PATH lacks them); a name with a slash is
// checked as given.
std::string findExecutable(const std::string& name);

}  // namespace minik
