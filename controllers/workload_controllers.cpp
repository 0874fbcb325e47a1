// Placeholder until the workload controllers land.
#include "controllers/workload_controllers.h"

namespace minik {

namespace {
class NoWorkloadControllers : public WorkloadControllers {
 public:
  void start() override {}
};
}  // namespace

std::unique_ptr<WorkloadControllers> makeWorkloadControllers(uv_loop_t*, ClusterClient&,
                                                             const ClusterConfig&) {
  return std::make_unique<NoWorkloadControllers>();
}

}  // namespace minik
