// client/cluster_client.h — the one interface through which controllers,
// netagent, dns and runtime-shim read and change the cluster (DESIGN.md: "one
// client interface, two transports").
//
// Contract:
//  - Writes go through the same decode/default/validate/admit path as kubectl's
//    requests, so a component can write nothing kubectl could not.
//  - Calls are made and callbacks run on the client's loop thread.
//  - A watch delivers every change after fromRevision in revision order, or
//    calls onGone once (the caller must list again); never silently skips.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/kinds.h"
#include "api/request_options.h"
#include "api/status.h"

namespace minik {

struct ClientResult {
  nlohmann::json object;
  std::optional<ApiError> error;
  bool ok() const { return !error.has_value(); }
  // The HTTP status code the call would have had (200 on success).
  int code() const { return error ? error->code : 200; }
};

struct ClientList {
  std::vector<nlohmann::json> items;
  int64_t revision = 0;
  std::optional<ApiError> error;
};

enum class WatchEventType { Added, Modified, Deleted };

struct ClientEvent {
  WatchEventType type = WatchEventType::Added;
  int64_t revision = 0;
  nlohmann::json object;  // for Deleted: the last state
};

class ClientWatch {
 public:
  virtual ~ClientWatch() = default;
  // No callback runs after cancel() returns.
  virtual void cancel() = 0;
};

class ClusterClient {
 public:
  virtual ~ClusterClient() = default;

  virtual ClientResult get(const KindInfo& kind, const std::string& ns, const std::string& name) = 0;
  // labelSelector in the string form ("app=x,tier in (a,b)"); "" lists all.
  virtual ClientList list(const KindInfo& kind, const std::string& ns,
                          const std::string& labelSelector = "") = 0;
  // Like list(), but hands each object to visit as it is read, so a large
  // list never exists in memory as a whole. Returns the list's revision and
  // error; items stays empty. The default implementation calls list().
  virtual ClientList listEach(const KindInfo& kind, const std::string& ns,
                              const std::function<void(const nlohmann::json& object)>& visit);
  virtual ClientResult create(const KindInfo& kind, const std::string& ns, nlohmann::json object) = 0;
  // subresource: "" or "status".
  virtual ClientResult update(const KindInfo& kind, const std::string& ns, const std::string& name,
                              nlohmann::json object, const std::string& subresource = "") = 0;
  virtual ClientResult patch(const KindInfo& kind, const std::string& ns, const std::string& name,
                             PatchType type, const nlohmann::json& patch,
                             const std::string& subresource = "") = 0;
  virtual ClientResult remove(const KindInfo& kind, const std::string& ns, const std::string& name,
                              const DeleteOptions& options = {}) = 0;

  // Events of kind (in ns, or every namespace when ns is empty) after
  // fromRevision. onGone is called instead when they cannot all be delivered.
  virtual std::unique_ptr<ClientWatch> watch(const KindInfo& kind, const std::string& ns,
                                             int64_t fromRevision,
                                             std::function<void(const ClientEvent&)> onEvent,
                                             std::function<void()> onGone) = 0;
};

// The KindInfo for a resource of the table (e.g. kindOf("apps", "deployments")).
// Aborts on an unknown resource: callers name kinds that are compiled in.
const KindInfo& kindOf(const std::string& group, const std::string& resource);

}  // namespace minik
