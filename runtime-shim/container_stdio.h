// runtime-shim/container_stdio.h — a container's terminal and stdin, as
// Kubernetes gives them: `tty: true` makes a pty the container's console
// (OCI process.terminal, the runtime's --console-socket), `stdin: true`
// keeps its stdin open (a pipe), otherwise stdin is /dev/null.
//
// Both ends minik keeps are held by a holder process of their own, started
// before `runc create` (minik executed again, `minik container-stdio-holder`,
// so it keeps none of the server's memory: ~0.1 MB of its own): pods outlive minik (a restart re-adopts
// them), and a terminal whose master closed would hang up its shell, a
// stdin whose writer closed would read EOF. The holder:
//  - tty: receives the pty master on the console socket, copies everything
//    the terminal prints into the attempt's log file (O_APPEND, so log
//    rotation works as for other containers), and ends when the container's
//    side of the terminal is gone (EIO);
//  - stdin: holds the pipe's write end open and ends when the container's
//    read end is gone. `stdinOnce` closes stdin after the first attach
//    session; attach does not exist yet, so until then it stays open, as it
//    does before a first attach in Kubernetes.
// It sits in a session of its own (signals to minik's process group do not
// reach it) and is an unregistered child: reapOrphans() reaps it.
// The holder is where a later attach will reach the pty master and stdin.
#pragma once

#include <sys/types.h>

#include <string>

#include <nlohmann/json.hpp>

namespace minik {

struct ContainerStdio {
  bool tty = false;
  bool openStdin = false;
  bool stdinOnce = false;
};

// The holder's body, for `minik container-stdio-holder tty|stdin` (hidden
// verb); does not return but for an unknown mode (2).
int runStdioHolder(const std::string& mode);

// From a container spec's tty, stdin and stdinOnce.
ContainerStdio containerStdio(const nlohmann::json& container);

// The holder of one container's terminal or stdin, started before the
// runtime creates the container and finished (finishCreate) after.
class StdioHolder {
 public:
  ~StdioHolder();
  // Nothing to hold (no tty, no stdin): true, and nothing is started.
  // tty: listens on consoleSocket (a path) and forks the holder, which
  // copies the terminal into logFd. stdin: makes the pipe and forks the
  // holder of its write end; containerStdin() is then its read end.
  bool start(const ContainerStdio& stdio, const std::string& consoleSocket, int logFd, std::string* error);
  // The fd to give the runtime as its stdin (the container inherits it);
  // -1: /dev/null.
  int containerStdin() const { return stdinRead_; }
  // After `runc create`: closes minik's copies; the holder keeps its own.
  void finishCreate();
  pid_t pid() const { return pid_; }

 private:
  int listenFd_ = -1;
  int stdinRead_ = -1;
  int stdinWrite_ = -1;
  pid_t pid_ = 0;
};

}  // namespace minik
