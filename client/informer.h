// client/informer.h — list once, then follow the watch: the way every
// watcher in minik (controllers, dns, netagent, runtime) learns the cluster.
//
// Invariants:
//  - Every object present is delivered to onUpsert at least once after
//    start(), and every later change in revision order.
//  - When the watch is Gone, the informer lists again and delivers what
//    changed meanwhile: onUpsert for new or changed objects, onDelete for the
//    vanished ones. Handlers must therefore be level-triggered.
//  - Memory: one (namespace, name) -> revision entry per object, no object
//    bodies.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "client/cluster_client.h"

namespace minik {

class Informer {
 public:
  struct Handlers {
    std::function<void(const nlohmann::json& object)> onUpsert;  // added or modified
    std::function<void(const nlohmann::json& object)> onDelete;  // the last state
  };

  Informer(ClusterClient& client, const KindInfo& kind, std::string ns, Handlers handlers);
  ~Informer();
  Informer(const Informer&) = delete;
  Informer& operator=(const Informer&) = delete;

  void start();
  void stop();
  const KindInfo& kind() const { return kind_; }

 private:
  void resync();
  void apply(const ClientEvent& event);

  ClusterClient& client_;
  const KindInfo& kind_;
  std::string ns_;
  Handlers handlers_;
  std::unique_ptr<ClientWatch> watch_;
  std::map<std::pair<std::string, std::string>, int64_t> known_;
};

}  // namespace minik
