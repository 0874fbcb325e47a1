// Which OCI runtime runs pods: crun, then runc; crun skipped where it
// refuses the cgroup layout (hybrid with cgroup2 controllers); a named
// runtime that is missing or cannot work refused; "none" and nothing found
// leave pods Pending without refusing to start.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "runtime-shim/runtime_choice.h"

using namespace minik;

namespace {

PathLookup installed(std::set<std::string> names) {
  return [names](const std::string& name) -> std::string {
    std::string base = name.substr(name.find_last_of('/') + 1);
    if (!names.count(base)) return "";
    return name.find('/') != std::string::npos ? name : "/usr/bin/" + name;
  };
}

CgroupFacts hybrid(const std::string& controllers) {
  CgroupFacts facts;
  facts.layout = CgroupLayout::Hybrid;
  facts.hybridControllers = controllers;
  return facts;
}

CgroupFacts unified() {
  CgroupFacts facts;
  facts.layout = CgroupLayout::Unified;
  return facts;
}

}  // namespace

TEST_CASE("auto prefers crun on cgroup v2") {
  RuntimeChoice c = chooseOciRuntime("auto", unified(), installed({"crun", "runc"}));
  CHECK(c.path == "/usr/bin/crun");
  CHECK(c.name == "crun");
  CHECK_FALSE(c.refused);
  CHECK(c.reason == "crun chosen (the first of crun, runc found)");
}

TEST_CASE("auto skips crun on hybrid cgroups with cgroup2 controllers") {
  RuntimeChoice c = chooseOciRuntime("", hybrid("hugetlb"), installed({"crun", "runc"}));
  CHECK(c.name == "runc");
  CHECK(c.path == "/usr/bin/runc");
  CHECK(c.reason.rfind("runc chosen (crun skipped: hybrid cgroups: ", 0) == 0);
  CHECK(c.reason.find("(hugetlb)") != std::string::npos);
}

TEST_CASE("crun stays usable on hybrid cgroups whose cgroup2 mount has no controllers") {
  CHECK(chooseOciRuntime("auto", hybrid(""), installed({"crun", "runc"})).name == "crun");
  CgroupFacts legacy;
  legacy.layout = CgroupLayout::Legacy;
  CHECK(chooseOciRuntime("auto", legacy, installed({"crun", "runc"})).name == "crun");
}

TEST_CASE("auto falls back to runc when crun is missing") {
  RuntimeChoice c = chooseOciRuntime("auto", unified(), installed({"runc"}));
  CHECK(c.name == "runc");
  CHECK(c.reason == "runc chosen (crun not found)");
}

TEST_CASE("auto with no usable runtime runs no pods but does not refuse") {
  RuntimeChoice none = chooseOciRuntime("auto", unified(), installed({}));
  CHECK(none.path.empty());
  CHECK_FALSE(none.refused);
  CHECK(none.reason.rfind("none usable (crun not found; runc not found): pods bound to this node stay Pending", 0) ==
        0);
  RuntimeChoice onlyCrun = chooseOciRuntime("auto", hybrid("hugetlb"), installed({"crun"}));
  CHECK(onlyCrun.path.empty());
  CHECK_FALSE(onlyCrun.refused);
  CHECK(onlyCrun.reason.find("crun skipped: hybrid cgroups") != std::string::npos);
}

TEST_CASE("none runs no pods") {
  RuntimeChoice c = chooseOciRuntime("none", unified(), installed({"crun", "runc"}));
  CHECK(c.path.empty());
  CHECK_FALSE(c.refused);
}

TEST_CASE("a named runtime is used as named, or refused") {
  RuntimeChoice runc = chooseOciRuntime("runc", hybrid("hugetlb"), installed({"crun", "runc"}));
  CHECK(runc.path == "/usr/bin/runc");
  CHECK(runc.reason == "runc chosen (--container-runtime runc)");

  RuntimeChoice byPath = chooseOciRuntime("/opt/bin/crun", unified(), installed({"crun"}));
  CHECK(byPath.path == "/opt/bin/crun");
  CHECK(byPath.name == "crun");

  RuntimeChoice missing = chooseOciRuntime("youki", unified(), installed({"crun", "runc"}));
  CHECK(missing.refused);
  CHECK(missing.path.empty());
  CHECK(missing.reason == "container runtime \"youki\" not found");

  RuntimeChoice crunOnHybrid = chooseOciRuntime("crun", hybrid("hugetlb"), installed({"crun", "runc"}));
  CHECK(crunOnHybrid.refused);
  CHECK(crunOnHybrid.path.empty());
  CHECK(crunOnHybrid.reason.find("use --container-runtime runc") != std::string::npos);
}

TEST_CASE("this machine's cgroup layout is read") {
  // Whatever the machine, a missing root is Unknown and does not throw.
  CHECK(readCgroupFacts("/nonexistent-cgroup-root").layout == CgroupLayout::Unknown);
}
