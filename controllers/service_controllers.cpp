// The Services half of the controllers: address allocation in the write
// path, the `kubernetes` Service, and the endpoint controller.
#include "controllers/service_controllers.h"

#include "controllers/endpoint_controller.h"
#include "controllers/kubernetes_service.h"
#include "controllers/service_address_admission.h"

namespace minik {

namespace {

class ServiceControllersImpl : public ServiceControllers {
 public:
  ServiceControllersImpl(uv_loop_t* loop, ClusterClient& client, const ClusterConfig& config)
      : client_(client),
        config_(config),
        addresses_(loop, client, config),
        endpoints_(loop, client) {}

  std::vector<AdmissionPlugin*> admissionPlugins() override { return {&addresses_}; }
  Informer::Handlers podHandlers() override { return endpoints_.podHandlers(); }

  void start() override {
    // config_ is read now: the API address is known only once it listens.
    if (const ClusterIpAllocator* ips = addresses_.clusterIps()) {
      ensureKubernetesService(client_, config_, ips->first());
    }
    endpoints_.start();
  }

 private:
  ClusterClient& client_;
  const ClusterConfig& config_;
  ServiceAddressAdmission addresses_;
  EndpointController endpoints_;
};

}  // namespace

std::unique_ptr<ServiceControllers> makeServiceControllers(uv_loop_t* loop, ClusterClient& client,
                                                           const ClusterConfig& config) {
  return std::make_unique<ServiceControllersImpl>(loop, client, config);
}

}  // namespace minik
