#include "runtime-shim/container_stdio.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace minik {

namespace {

// How long the holder waits for the runtime to hand it the console.
constexpr int kConsoleWaitMs = 60 * 1000;

// The pty master from the console socket's one connection; -1 on failure.
int receiveConsole(int listenFd) {
  pollfd p{listenFd, POLLIN, 0};
  if (poll(&p, 1, kConsoleWaitMs) != 1) return -1;
  int conn = accept(listenFd, nullptr, nullptr);
  if (conn < 0) return -1;
  char name[256];
  iovec iov{name, sizeof name};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  int master = -1;
  if (recvmsg(conn, &msg, 0) > 0) {
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) std::memcpy(&master, CMSG_DATA(c), sizeof master);
    }
  }
  close(conn);
  return master;
}

// The holder's body, in minik executed again as `minik container-stdio-holder
// tty|stdin` (so it holds none of the server's memory): fd 0 is the console
// socket (tty) or /dev/null, fd 1 the log file, fd 2 the stdin pipe's write
// end (or closed).
[[noreturn]] void holdTerminal() {
  int master = receiveConsole(0);
  close(0);
  if (master < 0) _exit(1);
  winsize size{};
  size.ws_row = 24;
  size.ws_col = 80;
  ioctl(master, TIOCSWINSZ, &size);
  char buffer[4096];
  for (;;) {
    ssize_t n = read(master, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EIO: the container's side of the terminal is gone
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(1, buffer + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) break;
      done += w;
    }
  }
  _exit(0);
}

[[noreturn]] void holdStdin() {
  // POLLERR on a pipe's write end: every reader (the container) is gone.
  pollfd p{2, 0, 0};
  while (!(poll(&p, 1, -1) == 1 && (p.revents & (POLLERR | POLLHUP)))) {
  }
  _exit(0);
}

}  // namespace

int runStdioHolder(const std::string& mode) {
  if (mode == "tty") holdTerminal();
  if (mode == "stdin") holdStdin();
  return 2;
}

ContainerStdio containerStdio(const nlohmann::json& container) {
  ContainerStdio out;
  auto flag = [&](const char* name) {
    auto it = container.find(name);
    return it != container.end() && it->is_boolean() && it->get<bool>();
  };
  out.tty = flag("tty");
  out.openStdin = flag("stdin");
  out.stdinOnce = flag("stdinOnce");
  return out;
}

StdioHolder::~StdioHolder() { finishCreate(); }

bool StdioHolder::start(const ContainerStdio& stdio, const std::string& consoleSocket, int logFd,
                        std::string* error) {
  if (!stdio.tty && !stdio.openStdin) return true;
  if (stdio.tty) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (consoleSocket.size() >= sizeof address.sun_path) {
      *error = "console socket path too long: " + consoleSocket;
      return false;
    }
    std::memcpy(address.sun_path, consoleSocket.c_str(), consoleSocket.size() + 1);
    unlink(consoleSocket.c_str());
    listenFd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listenFd_ < 0 || bind(listenFd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        listen(listenFd_, 1) != 0) {
      *error = "console socket " + consoleSocket + ": " + std::strerror(errno);
      return false;
    }
  } else {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
      *error = std::string("stdin pipe: ") + std::strerror(errno);
      return false;
    }
    stdinRead_ = fds[0];
    stdinWrite_ = fds[1];
  }
  int devNull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  // Built before fork: between fork and exec only async-signal-safe calls.
  char exe[] = "/proc/self/exe", name[] = "minik", verb[] = "container-stdio-holder", tty[] = "tty",
       in[] = "stdin";
  char* argv[] = {name, verb, stdio.tty ? tty : in, nullptr};
  pid_ = fork();
  if (pid_ == 0) {
    setsid();
    struct sigaction ignore{};
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGHUP, &ignore, nullptr);
    sigaction(SIGPIPE, &ignore, nullptr);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    dup2(stdio.tty ? listenFd_ : devNull, 0);
    dup2(logFd, 1);
    if (stdinWrite_ >= 0) dup2(stdinWrite_, 2);
    else close(2);
    closefrom(3);
    execv(exe, argv);
    _exit(127);
  }
  if (devNull >= 0) close(devNull);
  if (pid_ < 0) {
    *error = std::string("fork: ") + std::strerror(errno);
    pid_ = 0;
    return false;
  }
  return true;
}

void StdioHolder::finishCreate() {
  for (int* fd : {&listenFd_, &stdinRead_, &stdinWrite_}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
}

}  // namespace minik
