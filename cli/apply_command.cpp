// `minik apply`: create-or-update with kubectl's client-side apply semantics.
#include <algorithm>
#include <cstdio>

#include "cli/command_context.h"
#include "cli/last_applied.h"
#include "cli/manifest_reader.h"
#include "cli/three_way_patch.h"

namespace minik {

namespace {

using json = nlohmann::json;

const char kApplyQuery[] = "?fieldManager=kubectl-client-side-apply&fieldValidation=Strict";
const int kMaxPatchAttempts = 5;  // kubectl's maxPatchRetry

struct ApplyOutcome {
  std::string line;   // "service/ent configured"
  std::string error;  // a whole message, printed as is
};

std::string withErrorPrefix(const std::string& message) {
  bool fromServer = message.rfind("Error from server", 0) == 0 || message.rfind("The ", 0) == 0 ||
                    message.rfind("error: ", 0) == 0;
  return fromServer ? message : "error: " + message;
}

ApplyOutcome applyOne(const Manifest& manifest, CommandContext& context) {
  json object = manifest.object;
  const std::string apiVersion = object.value("apiVersion", "");
  const std::string kind = object.value("kind", "");
  if (!object.contains("metadata") || !object["metadata"].is_object()) object["metadata"] = json::object();
  json& metadata = object["metadata"];
  const std::string name = metadata.value("name", "");
  std::string ns = metadata.value("namespace", "");

  const ResourceType* type = context.resolver->byKind(apiVersion, kind);
  if (!type) {
    return {"", "error: resource mapping not found for name: \"" + name + "\" namespace: \"" + ns + "\" from \"" +
                    manifest.source + "\": no matches for kind \"" + kind + "\" in version \"" + apiVersion +
                    "\"\nensure CRDs are installed first"};
  }
  if (type->namespaced) {
    if (ns.empty()) {
      ns = context.namespace_;
      metadata["namespace"] = ns;  // kubectl's UpdateObjectNamespace: it is part of the applied config
    } else if (context.namespaceExplicit && ns != context.namespace_) {
      return {"", "error: the namespace from the provided object \"" + ns +
                      "\" does not match the namespace \"" + context.namespace_ + "\". You must pass '--namespace=" +
                      ns + "' to perform this operation."};
    }
  } else {
    ns.clear();
  }
  if (name.empty()) {
    return {"", "error: error when retrieving current configuration of \"" + manifest.source +
                    "\": resource name may not be empty"};
  }
  const std::string display = type->displayName() + "/" + name;
  const json modified = withLastApplied(object);

  for (int attempt = 0; attempt < kMaxPatchAttempts; ++attempt) {
    ApiResponse current = context.client.get(type->path(ns, name));
    if (current.status == 404) {
      ApiResponse created = context.client.send("POST", type->path(ns) + kApplyQuery, modified);
      if (created.ok()) return {display + " created", ""};
      if (created.status == 409 && apiErrorReason(created) == "AlreadyExists") continue;  // raced: patch it
      return {"", apiErrorMessage(created, "error when creating \"" + manifest.source + "\": ")};
    }
    if (!current.ok()) {
      return {"", apiErrorMessage(current, "error when retrieving current configuration of \"" +
                                               manifest.source + "\": ")};
    }
    json original;
    if (!originalConfiguration(current.body, &original)) {
      return {"", "error: error when applying patch to \"" + manifest.source + "\": the " +
                      std::string(kLastAppliedAnnotation) + " annotation of " + display + " is not valid JSON"};
    }
    if (original.is_null() && attempt == 0) {
      std::fprintf(stderr,
                   "Warning: resource %s/%s is missing the %s annotation which is required by minik apply. "
                   "minik apply should only be used on resources created declaratively by either minik apply "
                   "or kubectl create --save-config or kubectl apply. The missing annotation will be patched "
                   "automatically.\n",
                   type->resource.c_str(), name.c_str(), kLastAppliedAnnotation);
    }
    json patch;
    std::string error;
    if (!threeWayMergePatch(type->group, type->kind, original, modified, current.body, &patch, &error)) {
      return {"", "error: error when applying patch to \"" + manifest.source + "\": " + error};
    }
    if (patch.empty()) return {display + " unchanged", ""};
    ApiResponse patched = context.client.send("PATCH", type->path(ns, name) + kApplyQuery, patch,
                                              "application/strategic-merge-patch+json");
    if (patched.ok()) return {display + " configured", ""};
    if (patched.status == 409 && apiErrorReason(patched) == "Conflict") continue;
    return {"", apiErrorMessage(patched, "error when applying patch to \"" + manifest.source + "\": ")};
  }
  return {"", "error: " + display + " kept changing while it was applied; try again"};
}

}  // namespace

void declareApplyFlags(CliFlags& flags) {
  flags.list("filename", 'f', "The files, directories or '-' (stdin) that contain the configuration to apply");
  flags.boolean("recursive", 'R', false, "Process the directories used in -f recursively");
}

int runApply(const CliFlags& flags, CommandContext& context) {
  if (!flags.positional().empty()) {
    printError("unexpected arguments: " + flags.positional()[0] + "\nSee 'minik apply --help' for usage.");
    return 1;
  }
  if (flags.all("filename").empty()) {
    printError("must specify -f FILENAME\nSee 'minik apply --help' for usage.");
    return 1;
  }
  ManifestSet set = readManifests(flags.all("filename"), flags.on("recursive"));
  if (set.objects.empty() && set.errors.empty()) {
    printError("no objects passed to apply");
    return 1;
  }
  // Namespaces first, so one file can hold a namespace and what lives in it.
  std::stable_partition(set.objects.begin(), set.objects.end(), [](const Manifest& m) {
    return m.object.value("kind", "") == "Namespace" && m.object.value("apiVersion", "") == "v1";
  });
  std::vector<std::string> errors;
  for (const auto& e : set.errors) errors.push_back("error: " + e);
  for (const auto& manifest : set.objects) {
    ApplyOutcome outcome = applyOne(manifest, context);
    if (!outcome.line.empty()) {
      std::printf("%s\n", outcome.line.c_str());
      std::fflush(stdout);
    }
    if (!outcome.error.empty()) errors.push_back(withErrorPrefix(outcome.error));
  }
  for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.c_str());
  return errors.empty() ? 0 : 1;
}

}  // namespace minik
