#include "controllers/shared_informers.h"

namespace minik {

void SharedInformers::subscribe(const KindInfo& kind, Informer::Handlers handlers) {
  for (auto& feed : feeds_) {
    if (feed->kind == &kind) {
      feed->handlers.push_back(std::move(handlers));
      return;
    }
  }
  auto feed = std::make_unique<Feed>();
  feed->kind = &kind;
  feed->handlers.push_back(std::move(handlers));
  feeds_.push_back(std::move(feed));
}

void SharedInformers::start() {
  for (auto& feed : feeds_) {
    Feed* f = feed.get();
    Informer::Handlers fanout;
    fanout.onUpsert = [f](const nlohmann::json& object) {
      for (auto& h : f->handlers) {
        if (h.onUpsert) h.onUpsert(object);
      }
    };
    fanout.onDelete = [f](const nlohmann::json& object) {
      for (auto& h : f->handlers) {
        if (h.onDelete) h.onDelete(object);
      }
    };
    f->informer = std::make_unique<Informer>(client_, *f->kind, "", std::move(fanout));
  }
  for (auto& feed : feeds_) feed->informer->start();
}

}  // namespace minik
