// cmd/node_commands.h — verbs about this node's pods and images:
//  - `minik image import FILE...`, `minik image ls`, `minik image rm REF...`
//    work on the image store of the minik server running on this node
//    (runtime-shim/local_server.h), or of --data-dir, as k3s's `ctr images`
//    do on containerd's; the server may be running meanwhile;
//  - `minik logs POD [-c C] [-f] [--tail N] [-p] [-n NS]`: a client of the
//    API server's pods/log, as `kubectl logs`.
#pragma once

#include <string>
#include <vector>

namespace minik {

int runImageCommand(const std::vector<std::string>& args);
int runLogsCommand(const std::vector<std::string>& args);
// Usage lines for minik's help.
extern const char kNodeCommandsUsage[];

}  // namespace minik
