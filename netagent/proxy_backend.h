// netagent/proxy_backend.h — what the service proxy asks of a kernel
// backend (IPVS or nftables): program a desired state, apply changes to it,
// check that the kernel still holds it, and remove all of it.
//
// Contract:
//  - A backend owns a well-defined part of the kernel (its own nftables
//    table, the IPVS services whose addresses it programmed, its interface
//    and route) and never changes anything else.
//  - apply() is given changes against the state last programmed with
//    replaceAll/apply and sends messages only for those changes. When it
//    fails the kernel may be anywhere between the two states: the caller
//    then calls replaceAll.
//  - Calls block for at most a few seconds (netlink round trips).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "netagent/proxy_rules.h"

namespace minik::netagent {

struct BackendCounters {
  uint64_t messages = 0;  // netlink messages sent
  uint64_t bytes = 0;
};

class ProxyBackend {
 public:
  virtual ~ProxyBackend() = default;
  virtual const char* mode() const = 0;  // "ipvs", "nftables"

  virtual bool replaceAll(const ProxyState& state, std::string* error) = 0;
  virtual bool apply(const std::vector<ProxyChange>& changes, std::string* error) = 0;
  // True when the kernel still holds what state needs (a cheap comparison
  // of what minik owns, for the periodic resync).
  virtual bool holds(const ProxyState& state) = 0;
  // Removes everything minik programmed, including what an earlier run left.
  virtual bool cleanup(std::string* error) = 0;
  virtual BackendCounters counters() const = 0;
};

}  // namespace minik::netagent
