// Placeholder until the service controllers land: no plugins, nothing runs.
#include "controllers/service_controllers.h"

namespace minik {

namespace {
class NoServiceControllers : public ServiceControllers {
 public:
  std::vector<AdmissionPlugin*> admissionPlugins() override { return {}; }
  void start() override {}
};
}  // namespace

std::unique_ptr<ServiceControllers> makeServiceControllers(uv_loop_t*, ClusterClient&,
                                                           const ClusterConfig&) {
  return std::make_unique<NoServiceControllers>();
}

}  // namespace minik
