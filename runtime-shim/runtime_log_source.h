// runtime-shim/runtime_log_source.h — the pods/log subresource served from
// the container log files of this node (container_logs.h), with the
// kubelet's answers for the cases where there is nothing to read (no
// container name given for a multi-container pod, unknown container,
// container not started yet, no previous attempt). follow polls the file
// every 250 ms until the followed attempt is over.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <uv.h>

#include "client/pod_log_source.h"
#include "runtime-shim/pod_record.h"
#include "runtime-shim/pod_sync.h"

namespace minik {

class RuntimeLogSource : public PodLogSource {
 public:
  // records: the latest known record of a pod UID (null when not running here).
  RuntimeLogSource(uv_loop_t* loop, const NodeServices& node,
                   std::function<const PodRecord*(const std::string& uid)> records);

  std::unique_ptr<PodLogStream> open(const nlohmann::json& pod, const PodLogOptions& options,
                                     std::function<bool(std::string_view chunk)> write, std::function<void()> done,
                                     std::optional<ApiError>* error) override;

 private:
  uv_loop_t* loop_;
  const NodeServices& node_;
  std::function<const PodRecord*(const std::string&)> records_;
};

}  // namespace minik
