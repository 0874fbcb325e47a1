// bench/api — the API server over HTTP on loopback: starts `minik server`
// (the real binary) on a temporary data dir, then creates, gets and lists N
// pods through one keep-alive connection, and prints the rates, the list
// time and the server's RSS.
//
// Usage: bench-api [N=10000] [path/to/minik=./minik]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// One keep-alive HTTP/1.1 connection; enough of a client for this benchmark.
class Connection {
 public:
  explicit Connection(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~Connection() { close(fd_); }
  bool ok() const { return ok_; }

  // Returns the status code; body receives the response body.
  int request(const std::string& method, const std::string& path, const std::string& body,
              std::string* responseBody) {
    std::string req = method + " " + path + " HTTP/1.1\r\nHost: bench\r\nAccept: application/json\r\n";
    if (!body.empty()) {
      req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    }
    req += "\r\n" + body;
    if (write(fd_, req.data(), req.size()) != static_cast<ssize_t>(req.size())) return -1;
    // Read the head, then Content-Length bytes (the API answers plain bodies here).
    while (buffer_.find("\r\n\r\n") == std::string::npos) {
      if (!fill()) return -1;
    }
    size_t headEnd = buffer_.find("\r\n\r\n");
    int status = std::atoi(buffer_.c_str() + 9);
    size_t length = 0;
    size_t cl = buffer_.find("Content-Length: ");
    if (cl != std::string::npos && cl < headEnd) length = std::strtoul(buffer_.c_str() + cl + 16, nullptr, 10);
    while (buffer_.size() < headEnd + 4 + length) {
      if (!fill()) return -1;
    }
    if (responseBody) *responseBody = buffer_.substr(headEnd + 4, length);
    buffer_.erase(0, headEnd + 4 + length);
    return status;
  }

 private:
  bool fill() {
    char chunk[65536];
    ssize_t n = read(fd_, chunk, sizeof chunk);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }
  int fd_ = -1;
  bool ok_ = false;
  std::string buffer_;
};

std::string procStatusField(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      size_t start = line.find_first_not_of(" \t", field.size() + 1);
      return line.substr(start);
    }
  }
  return "?";
}

std::string podJson(int i) {
  std::string name = "bench-" + std::to_string(i);
  return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name +
         "\",\"labels\":{\"app\":\"bench\",\"shard\":\"" + std::to_string(i % 10) +
         "\"}},\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.25\","
         "\"ports\":[{\"containerPort\":8080,\"name\":\"http\"}],"
         "\"env\":[{\"name\":\"MODE\",\"value\":\"bench\"}]}]}}";
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 10000;
  std::string minik = argc > 2 ? argv[2] : "./minik";
  char dirTemplate[] = "/tmp/minik-bench-api.XXXXXX";
  std::string dir = mkdtemp(dirTemplate);
  int port = 20000 + static_cast<int>(getpid() % 30000);

  pid_t server = fork();
  if (server == 0) {
    std::string portArg = std::to_string(port);
    execl(minik.c_str(), minik.c_str(), "server", "--data-dir", (dir + "/data").c_str(),
          "--https-listen-port", portArg.c_str(), "--write-kubeconfig", (dir + "/kubeconfig").c_str(),
          // The API alone is measured: no kernel rules, no containers.
          "--proxy-mode", "none", "--container-runtime", "none", static_cast<char*>(nullptr));
    std::perror("exec minik");
    _exit(127);
  }
  bool up = false;
  for (int i = 0; i < 200 && !up; ++i) {
    usleep(50 * 1000);
    Connection probe(port);
    up = probe.ok() && probe.request("GET", "/healthz", "", nullptr) == 200;
  }
  if (!up) {
    std::fprintf(stderr, "bench-api: minik server did not start (%s)\n", minik.c_str());
    kill(server, SIGKILL);
    return 1;
  }
  std::printf("bench-api: %d pods over HTTP/1.1 keep-alive on 127.0.0.1:%d\n", n, port);
  std::printf("server RSS idle: %s\n", procStatusField(server, "VmRSS").c_str());

  Connection c(port);
  const std::string base = "/api/v1/namespaces/default/pods";
  auto start = Clock::now();
  for (int i = 0; i < n; ++i) {
    if (c.request("POST", base, podJson(i), nullptr) != 201) {
      std::fprintf(stderr, "create %d failed\n", i);
      kill(server, SIGKILL);
      return 1;
    }
  }
  double createSeconds = secondsSince(start);
  start = Clock::now();
  for (int i = 0; i < n; ++i) c.request("GET", base + "/bench-" + std::to_string(i), "", nullptr);
  double getSeconds = secondsSince(start);
  std::string body;
  start = Clock::now();
  c.request("GET", base, "", &body);
  double listSeconds = secondsSince(start);
  size_t listBytes = body.size();
  start = Clock::now();
  c.request("GET", base + "?labelSelector=shard%3D3", "", &body);
  double selectorSeconds = secondsSince(start);
  start = Clock::now();
  std::string token;
  int pages = 0;
  do {
    std::string path = base + "?limit=500" + (token.empty() ? "" : "&continue=" + token);
    c.request("GET", path, "", &body);
    ++pages;
    size_t at = body.find("\"continue\":\"");
    token = at == std::string::npos ? "" : body.substr(at + 12, body.find('"', at + 12) - at - 12);
  } while (!token.empty());
  double pagedSeconds = secondsSince(start);

  std::printf("create: %.0f/s (%.2f s)\n", n / createSeconds, createSeconds);
  std::printf("get:    %.0f/s (%.2f s)\n", n / getSeconds, getSeconds);
  std::printf("list all %d pods: %.1f ms (%.1f MiB of JSON)\n", n, listSeconds * 1000,
              listBytes / 1048576.0);
  std::printf("list with labelSelector (1/10 match): %.1f ms\n", selectorSeconds * 1000);
  std::printf("list in pages of 500: %.1f ms (%d pages)\n", pagedSeconds * 1000, pages);
  std::printf("server RSS now: %s, peak: %s\n", procStatusField(server, "VmRSS").c_str(),
              procStatusField(server, "VmHWM").c_str());
  kill(server, SIGTERM);
  waitpid(server, nullptr, 0);
  std::string cleanup = "rm -rf '" + dir + "'";
  return std::system(cleanup.c_str()) == 0 ? 0 : 1;
}
