// runtime-shim/oci_runtime.h — an OCI runtime binary (runc or crun; both
// take the same command line; where their output differs — crun's log
// objects without newlines, its words for a missing container — both are
// understood) driven by fork/exec: create, start, state,
// kill, delete and exec of containers described by a bundle folder
// (config.json + rootfs).
//
// Contract:
//  - Every call blocks until the runtime exits; call off the event loop.
//  - A created container's stdout and stderr are the given log file: the
//    container keeps writing to it when minik restarts, and nothing of minik
//    sits in its output path. A container with a terminal (tty) or an open
//    stdin gets them from a holder process (container_stdio.h), which also
//    outlives minik; the terminal's output goes to the same log file.
//  - Failures carry the runtime's own error message.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "runtime-shim/container_stdio.h"

namespace minik {

struct ContainerState {
  std::string status;  // "created", "running", "stopped", "paused"; "" when unknown to the runtime
  pid_t pid = 0;
};

struct ExecResult {
  int exitCode = -1;   // -1: did not run or timed out
  bool timedOut = false;
  std::string output;  // stdout and stderr, at most 10 KiB
};

class OciRuntime {
 public:
  // binary: path of runc or crun; stateRoot: its --root folder.
  OciRuntime(std::string binary, std::string stateRoot);

  const std::string& binary() const { return binary_; }

  // pid gets the container's init, registered with the child reaper (the
  // caller reaps it and unregisters it).
  bool create(const std::string& id, const std::string& bundle, const std::string& logPath,
              const ContainerStdio& stdio, pid_t* pid, std::string* error);
  bool start(const std::string& id, std::string* error);
  ContainerState state(const std::string& id);
  bool kill(const std::string& id, int signal, std::string* error);
  // --force: kills a running container first.
  bool remove(const std::string& id, std::string* error);
  ExecResult exec(const std::string& id, const std::vector<std::string>& argv, int timeoutSeconds);
  // The ids the runtime knows (for cleaning up after a crash).
  std::vector<std::string> list();

 private:
  // Runs the binary; output gets stdout+stderr unless outFd >= 0.
  // Its stdin is inFd, /dev/null when inFd < 0.
  int run(const std::vector<std::string>& args, std::string* output, int outFd = -1, int timeoutSeconds = 60,
          bool* timedOut = nullptr, int inFd = -1);

  std::string binary_;
  std::string root_;
};

}  // namespace minik
