// controllers/service_controllers.h — Services get addresses, and their
// endpoints are tracked: ClusterIP and NodePort allocation (admission
// plugins of the write path), the `kubernetes` Service, and the EndpointSlice
// and Endpoints controllers.
#pragma once

#include <memory>
#include <vector>

#include <uv.h>

#include "api/admission.h"
#include "api/cluster_config.h"
#include "client/cluster_client.h"
#include "client/informer.h"

namespace minik {

class ServiceControllers {
 public:
  virtual ~ServiceControllers() = default;
  // The admission plugins to add to the write path before any write.
  virtual std::vector<AdmissionPlugin*> admissionPlugins() = 0;
  // The endpoint controller's pod handlers, for a shared pod informer
  // (WorkloadControllers::feedPodsTo) to call instead of an informer of its
  // own (about 1 MB for 10,000 pods). Call before start().
  virtual Informer::Handlers podHandlers() = 0;
  // Starts the controllers (after the API is up).
  virtual void start() = 0;
};

std::unique_ptr<ServiceControllers> makeServiceControllers(uv_loop_t* loop, ClusterClient& client,
                                                           const ClusterConfig& config);

}  // namespace minik
