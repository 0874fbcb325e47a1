#include "runtime-shim/container_probes.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace minik {

using json = nlohmann::json;

namespace {

int64_t nowMs() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

// A connected socket to host:port, or -1 with message set.
int connectTo(const std::string& host, int port, int64_t deadlineMs, std::string* message) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
    *message = "probe host " + host + " is not an IPv4 address";
    return -1;
  }
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *message = std::strerror(errno);
    return -1;
  }
  std::string target = host + ":" + std::to_string(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 && errno != EINPROGRESS) {
    *message = "dial tcp " + target + ": connect: " + std::strerror(errno);
    close(fd);
    return -1;
  }
  pollfd p{fd, POLLOUT, 0};
  int ready = poll(&p, 1, static_cast<int>(std::max<int64_t>(0, deadlineMs - nowMs())));
  int error = 0;
  socklen_t length = sizeof error;
  if (ready <= 0) {
    *message = "dial tcp " + target + ": i/o timeout";
    close(fd);
    return -1;
  }
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
  if (error != 0) {
    *message = "dial tcp " + target + ": connect: " + std::strerror(error);
    close(fd);
    return -1;
  }
  return fd;
}

ProbeOutcome httpGet(const json& action, const json& container, const std::string& podIp, int timeoutSeconds) {
  ProbeOutcome out;
  std::string scheme = action.value("scheme", "HTTP");
  if (scheme != "HTTP") {
    out.success = true;
    out.message = "HTTPS probes are not supported by minik yet; counted as success";
    return out;
  }
  std::string host = action.value("host", "");
  if (host.empty()) host = podIp;
  int port = probePort(action.value("port", json()), container);
  std::string path = action.value("path", "/");
  if (path.empty() || path[0] != '/') path = "/" + path;
  int64_t deadline = nowMs() + int64_t{timeoutSeconds} * 1000;
  int fd = connectTo(host, port, deadline, &out.message);
  if (fd < 0) {
    out.message = "Get \"http://" + host + ":" + std::to_string(port) + path + "\": " + out.message;
    return out;
  }
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + std::to_string(port) + "\r\n";
  bool userAgent = false;
  for (const auto& h : action.value("httpHeaders", json::array())) {
    std::string name = h.value("name", "");
    if (strcasecmp(name.c_str(), "User-Agent") == 0) userAgent = true;
    request += name + ": " + h.value("value", "") + "\r\n";
  }
  if (!userAgent) request += "User-Agent: kube-probe/1.30\r\n";
  request += "Accept: */*\r\nConnection: close\r\n\r\n";
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string response;
  char buffer[1024];
  while (response.find("\r\n") == std::string::npos && response.size() < 4096) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(std::max<int64_t>(0, deadline - nowMs()))) <= 0) break;
    ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    response.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  // "HTTP/1.1 200 OK"
  size_t space = response.find(' ');
  int code = space == std::string::npos ? 0 : std::atoi(response.c_str() + space + 1);
  if (code >= 200 && code < 400) {
    out.success = true;
  } else if (code > 0) {
    out.message = "HTTP probe failed with statuscode: " + std::to_string(code);
  } else {
    out.message = "Get \"http://" + host + ":" + std::to_string(port) + path +
                  "\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)";
  }
  return out;
}

}  // namespace

int probePort(const json& port, const json& container) {
  if (port.is_number_integer()) return port.get<int>();
  if (!port.is_string()) return 0;
  std::string name = port.get<std::string>();
  if (!name.empty() && std::isdigit(static_cast<unsigned char>(name[0]))) return std::atoi(name.c_str());
  for (const auto& p : container.value("ports", json::array())) {
    if (p.value("name", "") == name) return p.value("containerPort", 0);
  }
  return 0;
}

ProbeOutcome runProbe(const json& probe, const json& container, const std::string& podIp, OciRuntime& runtime,
                      const std::string& runtimeId) {
  int timeout = std::max(1, probe.value("timeoutSeconds", 1));
  if (probe.contains("httpGet")) return httpGet(probe["httpGet"], container, podIp, timeout);
  ProbeOutcome out;
  if (probe.contains("tcpSocket")) {
    json action = probe["tcpSocket"];
    std::string host = action.value("host", "");
    if (host.empty()) host = podIp;
    int fd = connectTo(host, probePort(action.value("port", json()), container), nowMs() + timeout * 1000,
                       &out.message);
    if (fd >= 0) {
      close(fd);
      out.success = true;
    }
    return out;
  }
  if (probe.contains("exec")) {
    std::vector<std::string> command;
    for (const auto& c : probe["exec"].value("command", json::array())) command.push_back(c.get<std::string>());
    ExecResult r = runtime.exec(runtimeId, command, timeout);
    out.success = r.exitCode == 0;
    if (r.timedOut) out.message = "command timed out";
    else if (!out.success) out.message = r.output;
    return out;
  }
  out.success = true;
  out.message = "grpc probes are not supported by minik yet; counted as success";
  return out;
}

}  // namespace minik
