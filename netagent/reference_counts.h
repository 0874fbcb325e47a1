// netagent/reference_counts.h — how many virtual services use each address
// (a ClusterIP on minik-ipvs0, an endpoint in the hairpin set), so that an
// address goes into the kernel with its first user and out with its last.
//
// Contract: a delta is computed for a batch of changes, split into what
// appears and vanishes, sent, and committed only once the kernel took it;
// counts never go below zero (an address at zero is forgotten).
#pragma once

#include <cstdint>
#include <map>
#include <vector>

namespace minik::netagent {

class ReferenceCounts {
 public:
  using Delta = std::map<uint32_t, int>;  // address -> change in users

  // Of the addresses delta touches: those that gain their first user, and
  // those that lose their last.
  void split(const Delta& delta, std::vector<uint32_t>* appeared, std::vector<uint32_t>* vanished) const {
    for (const auto& [address, d] : delta) {
      auto it = counts_.find(address);
      const int before = it == counts_.end() ? 0 : it->second;
      if (before == 0 && before + d > 0) appeared->push_back(address);
      if (before > 0 && before + d <= 0) vanished->push_back(address);
    }
  }

  void commit(const Delta& delta) {
    for (const auto& [address, d] : delta) {
      int& n = counts_[address];
      n += d;
      if (n <= 0) counts_.erase(address);
    }
  }

  void clear() { counts_.clear(); }

 private:
  std::map<uint32_t, int> counts_;
};

}  // namespace minik::netagent
