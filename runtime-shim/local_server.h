// runtime-shim/local_server.h — the `minik server` running on this node, as
// the node-side verbs (`minik image ...`) find it, so they act on the store
// that server reads however it was started.
//
// Contract:
//  - "This node" is this network namespace: a server counts only when
//    /proc/PID/ns/net is this process's own (a board's netns is its node; a
//    test's board never sees the host's server, nor the host a test's).
//  - A server is a process whose argv[0] names a file called `minik` and
//    whose first argument is `server`. Its data dir is its `--data-dir`
//    (`--data-dir X` or `--data-dir=X`, relative to its working folder),
//    else the default /var/lib/minik.
//  - Reading another process's /proc entries needs the same user or root;
//    those that cannot be read are skipped.
#pragma once

#include <sys/types.h>

#include <string>

namespace minik {

struct LocalServer {
  pid_t pid = 0;        // 0: none found
  std::string dataDir;  // absolute
};

// The first minik server of this network namespace, by ascending pid.
LocalServer findLocalServer();

// The data dir a `minik server` with these arguments (after `server`) uses;
// cwd resolves a relative one.
std::string serverDataDir(const std::string& nulSeparatedArgs, const std::string& cwd);

extern const char* const kDefaultDataDir;

}  // namespace minik
