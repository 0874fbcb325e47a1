// apiserver/object_registry.h — the one write path: decode -> default ->
// validate -> admit -> store, shared by HTTP requests and in-process clients
// (controllers, DNS, netagent, runtime), so no component can write what
// kubectl could not.
//
// Invariants:
//  - Nothing is written unless every check passed: a failed call leaves the
//    store as it was (no half-written objects).
//  - Namespaced objects are only created in existing, non-terminating
//    namespaces; the system namespaces always exist once ensureSystemObjects()
//    ran.
//  - An update that changes nothing writes nothing (resourceVersion unchanged).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "api/admission.h"
#include "api/kinds.h"
#include "api/labels.h"
#include "api/request_options.h"
#include "api/field_selector.h"
#include "api/status.h"
#include "store/store.h"

namespace minik {

// The outcome of a registry call: an object (code 200 or 201) or an error.
struct RegistryResult {
  int code = 200;
  nlohmann::json object;
  std::optional<ApiError> error;
  bool ok() const { return !error.has_value(); }
};

struct ListQuery {
  std::string ns;  // empty: all namespaces
  std::optional<LabelSelector> labels;
  std::optional<FieldSelector> fields;
  int64_t limit = 0;
  std::string continueToken;
};

class ObjectRegistry {
 public:
  explicit ObjectRegistry(Store& store) : store_(store) {}

  Store& store() { return store_; }

  // Adds a plugin to the admission chain (run in the order added). The
  // registry does not own it; it must outlive the registry.
  void addAdmission(AdmissionPlugin* plugin) { admission_.push_back(plugin); }

  // Set when this server runs pods (a node runtime): deleting a pod bound
  // to a node then marks it and leaves the final delete to the runtime.
  void setBoundPodsDeleteGracefully(bool on) { boundPodsDeleteGracefully_ = on; }

  // Creates default, kube-system, kube-public and kube-node-lease if missing.
  void ensureSystemNamespaces();

  RegistryResult get(const KindInfo& kind, const std::string& ns, const std::string& name);
  // subresource: "" or "status".
  RegistryResult create(const KindInfo& kind, const std::string& ns, nlohmann::json object,
                        bool dryRun);
  RegistryResult update(const KindInfo& kind, const std::string& ns, const std::string& name,
                        nlohmann::json object, const std::string& subresource, bool dryRun);
  RegistryResult patch(const KindInfo& kind, const std::string& ns, const std::string& name,
                       PatchType type, const nlohmann::json& patch, const std::string& subresource,
                       bool dryRun);
  RegistryResult remove(const KindInfo& kind, const std::string& ns, const std::string& name,
                        const DeleteOptions& options);

  // Streams the stored JSON of each object matching the query. Objects are
  // parsed only when a selector needs it. Returns the list's metadata
  // (resourceVersion, continue) or an error.
  struct ListOutcome {
    std::optional<ApiError> error;
    int64_t revision = 0;
    std::string continueToken;
    int64_t remainingItemCount = -1;
  };
  ListOutcome list(const KindInfo& kind, const ListQuery& query,
                   const std::function<void(const std::string& json)>& emit);

  // The autoscaling/v1 Scale of a Deployment or ReplicaSet.
  RegistryResult getScale(const KindInfo& kind, const std::string& ns, const std::string& name);
  // Applies a Scale (PUT) or a patch of the Scale (PATCH) to spec.replicas.
  RegistryResult updateScale(const KindInfo& kind, const std::string& ns, const std::string& name,
                             const std::function<std::optional<ApiError>(nlohmann::json& scale)>& change);

  // Does the object match the selectors of a query (for watches)?
  static bool matches(const ListQuery& query, const nlohmann::json& object);

 private:
  // Writes next over current (revision expected), applying the update rules.
  RegistryResult commitUpdate(const KindInfo& kind, const StoredObject& current,
                              nlohmann::json next, bool dryRun);
  // Stores object, the current state marked for deletion (deletionTimestamp,
  // finalizers), over current's revision; a dry run only returns it.
  RegistryResult storeMarkedForDeletion(const KindInfo& kind, const StoredObject& current,
                                        nlohmann::json object, bool dryRun);
  RegistryResult deleteNow(const KindInfo& kind, const StoredObject& current);
  std::optional<ApiError> checkNamespace(const std::string& ns, bool forCreate);
  // Runs the admission chain; on refusal, releases what earlier plugins took.
  std::optional<ApiError> admit(const KindInfo& kind, nlohmann::json& object, const nlohmann::json* old);
  void release(const KindInfo& kind, const nlohmann::json& object);

  Store& store_;
  std::vector<AdmissionPlugin*> admission_;
  bool boundPodsDeleteGracefully_ = false;
};

// Converts a store failure into the API error Kubernetes gives.
ApiError storeError(const KindInfo& kind, const std::string& name, StoreCode code,
                    const std::string& message);

}  // namespace minik
