#include "runtime-shim/oci_runtime.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <nlohmann/json.hpp>

#include "runtime-shim/child_reaper.h"
#include "runtime-shim/container_stdio.h"
#include "runtime-shim/file_tree.h"

namespace minik {

namespace {

const size_t kMaxOutput = 10 * 1024;

int64_t nowMs() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

// The last error the runtime logged (its --log file: JSON lines from runc,
// JSON objects back to back without newlines from crun), or its plain
// output.
std::string runtimeMessage(const std::string& logPath, const std::string& output) {
  std::string text = readFile(logPath);
  for (size_t at = text.find("}{"); at != std::string::npos; at = text.find("}{", at + 2)) {
    text.insert(at + 1, "\n");
  }
  std::string message;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    auto line = nlohmann::json::parse(text.substr(start, end - start), nullptr, false);
    if (line.is_object() && line.value("level", "") == "error") message = line.value("msg", "");
    start = end + 1;
  }
  if (!message.empty()) return message;
  std::string trimmed = output;
  while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == ' ')) trimmed.pop_back();
  return trimmed;
}

}  // namespace

OciRuntime::OciRuntime(std::string binary, std::string stateRoot)
    : binary_(std::move(binary)), root_(std::move(stateRoot)) {
  makeDirs(root_);
}

int OciRuntime::run(const std::vector<std::string>& args, std::string* output, int outFd, int timeoutSeconds,
                    bool* timedOut, int inFd) {
  std::vector<std::string> full = {binary_, "--root", root_};
  full.insert(full.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : full) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int pipeFds[2] = {-1, -1};
  if (outFd < 0 && pipe2(pipeFds, O_CLOEXEC) != 0) return -1;
  int devNull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  auto children = lockChildren();
  pid_t pid = fork();
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    dup2(inFd >= 0 ? inFd : devNull, 0);
    int out = outFd >= 0 ? outFd : pipeFds[1];
    dup2(out, 1);
    dup2(out, 2);
    closefrom(3);
    execv(argv[0], argv.data());
    _exit(127);
  }
  if (pid > 0) registerChild(pid);
  children.unlock();
  if (devNull >= 0) close(devNull);
  if (pipeFds[1] >= 0) close(pipeFds[1]);
  if (pid < 0) {
    if (pipeFds[0] >= 0) close(pipeFds[0]);
    return -1;
  }
  int64_t deadline = nowMs() + int64_t{timeoutSeconds} * 1000;
  bool killed = false;
  if (pipeFds[0] >= 0) {
    char buffer[4096];
    for (;;) {
      pollfd p{pipeFds[0], POLLIN, 0};
      int wait = static_cast<int>(std::max<int64_t>(0, deadline - nowMs()));
      int ready = poll(&p, 1, wait);
      if (ready == 0) {
        ::kill(pid, SIGKILL);
        killed = true;
        break;
      }
      if (ready < 0 && errno == EINTR) continue;
      ssize_t n = read(pipeFds[0], buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      if (output && output->size() < kMaxOutput) output->append(buffer, static_cast<size_t>(n));
    }
    close(pipeFds[0]);
  }
  int status = 0;
  for (;;) {
    pid_t r = waitpid(pid, &status, 0);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) {
      unregisterChild(pid);
      return -1;
    }
  }
  unregisterChild(pid);
  if (timedOut) *timedOut = killed;
  if (killed) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

bool OciRuntime::create(const std::string& id, const std::string& bundle, const std::string& logPath,
                        const ContainerStdio& stdio, pid_t* pid, std::string* error) {
  int logFd = open(logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (logFd < 0) {
    *error = "open log " + logPath + ": " + std::strerror(errno);
    return false;
  }
  std::string runtimeLog = bundle + "/runtime.log", pidFile = bundle + "/init.pid";
  unlink(runtimeLog.c_str());
  unlink(pidFile.c_str());
  std::string output;
  ReapingPause pause;  // until the container's init is registered below
  // A terminal or an open stdin is held by a process of its own, so they
  // outlive a restart of minik (container_stdio.h).
  StdioHolder holder;
  const std::string consoleSocket = bundle + "/console.sock";
  if (!holder.start(stdio, consoleSocket, logFd, error)) {
    close(logFd);
    return false;
  }
  std::vector<std::string> args = {"--log", runtimeLog, "--log-format", "json", "create", "--bundle", bundle,
                                   "--pid-file", pidFile};
  if (stdio.tty) {
    args.push_back("--console-socket");
    args.push_back(consoleSocket);
  }
  args.push_back(id);
  // Without a terminal, runc hands its own stdio to the detached container:
  // the log file becomes its stdout and stderr, the holder's pipe (or
  // /dev/null) its stdin. With one, the pty is all three and the holder
  // copies it into the log. Its own messages go to --log so they do not mix
  // with the container's.
  int code = run(args, &output, logFd, 60, nullptr, holder.containerStdin());
  holder.finishCreate();
  close(logFd);
  if (code != 0) {
    *error = runtimeMessage(runtimeLog, output);
    if (error->empty()) *error = binary_ + " create exited with " + std::to_string(code);
    return false;
  }
  *pid = static_cast<pid_t>(std::strtol(readFile(pidFile).c_str(), nullptr, 10));
  if (*pid > 0) {
    auto children = lockChildren();
    registerChild(*pid);
  }
  return true;
}

bool OciRuntime::start(const std::string& id, std::string* error) {
  std::string output;
  int code = run({"start", id}, &output);
  if (code != 0) *error = output.empty() ? binary_ + " start exited with " + std::to_string(code) : output;
  return code == 0;
}

ContainerState OciRuntime::state(const std::string& id) {
  std::string output;
  ContainerState out;
  if (run({"state", id}, &output) != 0) return out;
  auto doc = nlohmann::json::parse(output, nullptr, false);
  if (!doc.is_object()) return out;
  out.status = doc.value("status", "");
  out.pid = doc.value("pid", 0);
  return out;
}

bool OciRuntime::kill(const std::string& id, int signal, std::string* error) {
  std::string output;
  int code = run({"kill", id, std::to_string(signal)}, &output);
  if (code != 0) *error = output;
  return code == 0;
}

bool OciRuntime::remove(const std::string& id, std::string* error) {
  std::string output;
  int code = run({"delete", "--force", id}, &output);
  // runc says "does not exist", crun "No such file or directory".
  if (code != 0 && output.find("does not exist") == std::string::npos &&
      output.find("not found") == std::string::npos && output.find("No such file") == std::string::npos) {
    *error = output;
    return false;
  }
  return true;
}

ExecResult OciRuntime::exec(const std::string& id, const std::vector<std::string>& argv, int timeoutSeconds) {
  ExecResult out;
  std::vector<std::string> args = {"exec", id};
  args.insert(args.end(), argv.begin(), argv.end());
  out.exitCode = run(args, &out.output, -1, timeoutSeconds, &out.timedOut);
  return out;
}

std::vector<std::string> OciRuntime::list() {
  std::string output;
  std::vector<std::string> ids;
  if (run({"list", "--format", "json"}, &output) != 0) return ids;
  auto doc = nlohmann::json::parse(output, nullptr, false);
  if (!doc.is_array()) return ids;
  for (const auto& c : doc) ids.push_back(c.value("id", ""));
  return ids;
}

}  // namespace minik
