// controllers/shared_informers.h — one informer per kind, shared by every
// controller that follows that kind, so a pod event is read and parsed once
// however many controllers react to it.
//
// Contract: subscribe() before start(); handlers of a kind run in the order
// they subscribed. start() lists every subscribed kind (delivering each
// object to onUpsert) before it returns, then follows the watches; all on the
// client's loop thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "client/informer.h"

namespace minik {

class SharedInformers {
 public:
  explicit SharedInformers(ClusterClient& client) : client_(client) {}

  void subscribe(const KindInfo& kind, Informer::Handlers handlers);
  void start();

 private:
  struct Feed {
    const KindInfo* kind;
    std::vector<Informer::Handlers> handlers;
    std::unique_ptr<Informer> informer;
  };

  ClusterClient& client_;
  std::vector<std::unique_ptr<Feed>> feeds_;
};

}  // namespace minik
