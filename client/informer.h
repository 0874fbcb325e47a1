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
//    bodies: a node keyed by a 64-bit digest of "namespace/name" holding the
//    revision and the name in one exact-size block (about 100 bytes an
//    object; names whose digest is taken go to a second map).
//    A relist marks what it sees instead of building a set of it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
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
  struct Known {
    int64_t revision = 0;
    std::unique_ptr<char[]> key;  // "namespace/name", NUL-terminated
    uint32_t listed = 0;          // the last relist that saw it
  };

  void resync();
  void apply(const ClientEvent& event);
  Known* find(const std::string& key);
  Known& insert(const std::string& key);
  void erase(const std::string& key);

  ClusterClient& client_;
  const KindInfo& kind_;
  std::string ns_;
  Handlers handlers_;
  std::unique_ptr<ClientWatch> watch_;
  std::unordered_map<uint64_t, Known> known_;  // by digest of the key
  std::map<std::string, Known> collided_;      // keys whose digest another holds
  uint32_t relists_ = 0;
};

}  // namespace minik
