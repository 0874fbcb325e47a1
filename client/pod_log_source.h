// client/pod_log_source.h — where the API server reads container logs from
// (the pods/log subresource). The node runtime implements it; the server
// wiring hands it to the HTTP layer, which stays free of runtime details.
//
// Contract:
//  - Called on the event loop thread; callbacks run there too.
//  - open() either fails at once (error set: the ApiError the API server
//    answers, e.g. 400 "a container name must be specified ...") or
//    returns a stream that calls write() with the log bytes and then done()
//    exactly once — at the end of the file, or with follow when the
//    container stops or the caller cancels (then done() is not called).
//  - write() returning false (the client went away) ends the stream.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/status.h"

namespace minik {

// The query of GET .../pods/NAME/log (core/v1 PodLogOptions).
struct PodLogOptions {
  std::string container;
  bool follow = false;
  bool previous = false;
  int64_t tailLines = -1;   // -1: all
  int64_t limitBytes = 0;   // 0: no limit
};

class PodLogStream {
 public:
  virtual ~PodLogStream() = default;
  // No callback runs after cancel() returns.
  virtual void cancel() = 0;
};

class PodLogSource {
 public:
  virtual ~PodLogSource() = default;
  virtual std::unique_ptr<PodLogStream> open(const nlohmann::json& pod, const PodLogOptions& options,
                                             std::function<bool(std::string_view chunk)> write,
                                             std::function<void()> done, std::optional<ApiError>* error) = 0;
};

}  // namespace minik
