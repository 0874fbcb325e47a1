// controllers/interned.h — one shared, immutable copy of each distinct value
// (a label map, an owner's uid), however many views carry it.
//
// Why: the pods of one ReplicaSet carry the same labels and the same owner,
// and several controllers keep a view per pod (DESIGN.md, "Memory"). A
// shared_ptr costs 16 bytes; each copy it replaces cost its heap blocks.
//
// Contract: intern(value) returns a pointer to a value equal to it; values
// equal when interned at the same time share one copy. A copy lives as long
// as a pointer to it does; the table forgets it with the last pointer. Safe
// from any thread.
#pragma once

#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace minik {

template <class T, class Hash = std::hash<T>>
std::shared_ptr<const T> intern(T value) {
  struct Table {
    std::mutex mutex;
    std::unordered_multimap<size_t, std::weak_ptr<const T>> entries;  // by hash
  };
  // Never destroyed: interned values may outlive static destruction.
  static Table* table = new Table;
  const size_t h = Hash()(value);
  // Copies looked at but not taken are released after the lock: releasing
  // the last pointer runs the deleter, which takes the lock.
  std::vector<std::shared_ptr<const T>> passed;
  std::lock_guard<std::mutex> lock(table->mutex);
  auto range = table->entries.equal_range(h);
  for (auto it = range.first; it != range.second; ++it) {
    std::shared_ptr<const T> existing = it->second.lock();
    if (!existing) continue;  // dying: its deleter waits for the lock
    if (*existing == value) return existing;
    passed.push_back(std::move(existing));
  }
  std::shared_ptr<const T> fresh(new T(std::move(value)), [h](const T* gone) {
    {
      std::lock_guard<std::mutex> lock(table->mutex);
      auto range = table->entries.equal_range(h);
      for (auto it = range.first; it != range.second;) {
        it = it->second.expired() ? table->entries.erase(it) : std::next(it);
      }
    }
    delete gone;
  });
  table->entries.emplace(h, fresh);
  return fresh;
}

}  // namespace minik
