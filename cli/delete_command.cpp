// `minik delete`: by name, by label selector, or by manifest; waits for the
// objects to be gone unless --wait=false, as kubectl does.
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "cli/command_context.h"
#include "cli/manifest_reader.h"

namespace minik {

namespace {

using json = nlohmann::json;

struct Target {
  const ResourceType* type;
  std::string ns;
  std::string name;
  std::string source;  // the manifest file, for -f
};

struct Deleted {
  Target target;
  std::string uid;
};

json deleteOptions(const CliFlags& flags) {
  json options = {{"kind", "DeleteOptions"}, {"apiVersion", "v1"}, {"propagationPolicy", "Background"}};
  long grace = std::strtol(flags.get("grace-period").c_str(), nullptr, 10);
  if (flags.on("now")) grace = 1;
  if (grace >= 0) options["gracePeriodSeconds"] = grace;
  return options;
}

void sleepMillis(long ms) {
  timespec ts{ms / 1000, (ms % 1000) * 1000000};
  nanosleep(&ts, nullptr);
}

double nowSeconds() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

// Go durations as kubectl's --timeout takes them: "30s", "2m", "1h", "0".
double parseDuration(const std::string& text) {
  if (text.empty() || text == "0") return 0;
  double value = std::strtod(text.c_str(), nullptr);
  if (text.back() == 'm' && text.find("ms") == std::string::npos) return value * 60;
  if (text.back() == 'h') return value * 3600;
  if (text.find("ms") != std::string::npos) return value / 1000;
  return value;
}

// Until every object is gone or replaced by another of the same name (a
// different uid); false on timeout.
bool waitUntilGone(std::vector<Deleted> pending, CommandContext& context, double timeoutSeconds,
                   std::vector<std::string>* errors) {
  double deadline = nowSeconds() + (timeoutSeconds > 0 ? timeoutSeconds : 7 * 24 * 3600.0);
  long pause = 50;
  while (!pending.empty()) {
    std::vector<Deleted> still;
    for (auto& d : pending) {
      ApiResponse r = context.client.get(d.target.type->path(d.target.ns, d.target.name));
      bool gone = r.status == 404 ||
                  (r.ok() && r.body.contains("metadata") && r.body["metadata"].value("uid", "") != d.uid);
      if (!gone) still.push_back(std::move(d));
    }
    pending = std::move(still);
    if (pending.empty()) break;
    if (nowSeconds() > deadline) {
      for (const auto& d : pending) {
        errors->push_back("error: timed out waiting for the condition on " + d.target.type->groupResource() + "/" +
                          d.target.name);
      }
      return false;
    }
    sleepMillis(pause);
    pause = std::min(pause * 2, 1000L);
  }
  return true;
}

bool targetsFromFiles(const CliFlags& flags, CommandContext& context, std::vector<Target>* out,
                      std::vector<std::string>* errors) {
  ManifestSet set = readManifests(flags.all("filename"), flags.on("recursive"));
  for (const auto& e : set.errors) errors->push_back("error: " + e);
  for (const auto& m : set.objects) {
    std::string apiVersion = m.object.value("apiVersion", ""), kind = m.object.value("kind", "");
    const json& metadata = m.object.value("metadata", json::object());
    std::string name = metadata.value("name", ""), ns = metadata.value("namespace", "");
    const ResourceType* type = context.resolver->byKind(apiVersion, kind);
    if (!type) {
      errors->push_back("error: resource mapping not found for name: \"" + name + "\" namespace: \"" + ns +
                        "\" from \"" + m.source + "\": no matches for kind \"" + kind + "\" in version \"" +
                        apiVersion + "\"\nensure CRDs are installed first");
      continue;
    }
    if (!type->namespaced) ns.clear();
    else if (ns.empty()) ns = context.namespace_;
    out->push_back({type, ns, name, m.source});
  }
  // Namespaces last, the mirror of apply: what lives in them is deleted by
  // name first instead of vanishing under the namespace's deletion.
  std::stable_partition(out->begin(), out->end(),
                        [](const Target& t) { return !(t.type->group.empty() && t.type->kind == "Namespace"); });
  return true;
}

}  // namespace

void declareDeleteFlags(CliFlags& flags) {
  flags.list("filename", 'f', "The files, directories or '-' (stdin) that describe the objects to delete");
  flags.boolean("recursive", 'R', false, "Process the directories used in -f recursively");
  flags.value("selector", 'l', "", "Delete the objects matching this label selector");
  flags.boolean("all", 0, false, "Delete all objects of the type in the namespace");
  flags.boolean("all-namespaces", 'A', false, "With -l or --all, look in every namespace");
  flags.value("grace-period", 0, "-1", "Seconds given to the object to terminate gracefully; -1 uses its default");
  flags.boolean("now", 0, false, "Signal the objects to stop at once (--grace-period=1)");
  flags.boolean("wait", 0, true, "Wait until the objects are gone before returning");
  flags.value("timeout", 0, "0s", "How long to wait for the deletion (0: a week)");
  flags.boolean("ignore-not-found", 0, false, "Treat objects that are not found as a success");
}

int runDelete(const CliFlags& flags, CommandContext& context) {
  std::vector<std::string> errors;
  std::vector<Target> targets;
  const auto& args = flags.positional();
  bool fromFiles = !flags.all("filename").empty();
  bool bySelector = !flags.get("selector").empty() || flags.on("all");
  bool ignoreNotFound = flags.on("ignore-not-found") || bySelector;
  std::string error;
  if (fromFiles) {
    if (!args.empty()) {
      printError("when paths are provided, no resource type or name may be given");
      return 1;
    }
    targetsFromFiles(flags, context, &targets, &errors);
  } else if (args.empty()) {
    printError("you must provide one or more resources by argument or filename, e.g. 'minik delete pod NAME', "
               "'minik delete pods -l app=x' or 'minik delete -f app.yaml'");
    return 1;
  } else if (args[0].find('/') != std::string::npos) {
    for (const auto& arg : args) {
      size_t slash = arg.find('/');
      const ResourceType* type = slash == std::string::npos ? nullptr : context.resolver->byName(arg.substr(0, slash), &error);
      if (!type) {
        printError(slash == std::string::npos ? "arguments in resource/name form must have a single resource and name"
                                              : error);
        return 1;
      }
      targets.push_back({type, type->namespaced ? context.namespace_ : "", arg.substr(slash + 1), ""});
    }
  } else {
    std::vector<const ResourceType*> types;
    if (!context.resolver->expand(args[0], &types, &error)) {
      printError(error);
      return 1;
    }
    std::vector<std::string> names(args.begin() + 1, args.end());
    if (names.empty() && !bySelector) {
      printError("resource(s) were provided, but no name was specified");
      return 1;
    }
    if (!names.empty() && bySelector) {
      printError("name cannot be provided when a selector is specified");
      return 1;
    }
    for (const ResourceType* type : types) {
      std::string ns = type->namespaced && !flags.on("all-namespaces") ? context.namespace_ : "";
      if (!bySelector) {
        for (const auto& name : names) targets.push_back({type, type->namespaced ? ns : "", name, ""});
        continue;
      }
      std::string query = flags.get("selector").empty() ? "" : "?labelSelector=" + queryEscape(flags.get("selector"));
      ApiResponse list = context.client.get(type->path(ns) + query);
      if (!list.ok()) {
        errors.push_back(apiErrorMessage(list));
        continue;
      }
      for (const auto& item : list.body.value("items", json::array())) {
        const json& md = item.value("metadata", json::object());
        targets.push_back({type, md.value("namespace", ""), md.value("name", ""), ""});
      }
    }
    if (targets.empty() && errors.empty()) std::fprintf(stderr, "No resources found\n");
  }

  json options = deleteOptions(flags);
  std::vector<Deleted> deleted;
  for (const auto& t : targets) {
    ApiResponse r = context.client.send("DELETE", t.type->path(t.ns, t.name), options);
    if (r.ok()) {
      std::string uid;
      // A delete answers with the object (still terminating) or a Status.
      if (r.body.is_object() && r.body.value("kind", "") != "Status" && r.body.contains("metadata")) {
        uid = r.body["metadata"].value("uid", "");
      } else if (r.body.is_object() && r.body.contains("details")) {
        uid = r.body["details"].value("uid", "");
      }
      std::printf("%s \"%s\" deleted\n", t.type->displayName().c_str(), t.name.c_str());
      std::fflush(stdout);
      deleted.push_back({t, uid});
    } else if (!(r.status == 404 && ignoreNotFound)) {
      errors.push_back(apiErrorMessage(r, t.source.empty() ? "" : "error when deleting \"" + t.source + "\": "));
    }
  }
  if (flags.on("wait") && !deleted.empty()) {
    waitUntilGone(deleted, context, parseDuration(flags.get("timeout")), &errors);
  }
  for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.c_str());
  return errors.empty() ? 0 : 1;
}

}  // namespace minik
