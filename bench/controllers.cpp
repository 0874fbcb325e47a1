// bench/controllers — the controllers converging a large cluster: starts
// `minik server` (the real binary) on a temporary data dir, creates N
// Deployments of R replicas and a Service selecting each, acts as the kubelet
// (marks every bound Pending pod Running and Ready through the status
// subresource, with a unique pod IP), and waits until every Deployment shows
// R/R and, when the EndpointSlice controller is present, every Service's
// slices list R endpoints. Prints the phases' times and the server's RSS.
// The server runs with --container-runtime none (this program is the
// kubelet) and --proxy-mode none (the host's kernel is left alone; the
// proxy's memory is bench-netagent's to measure).
//
// Usage: bench-controllers [N=1000] [R=10] [path/to/minik=./minik]
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
#include <fstream>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

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

  int request(const std::string& method, const std::string& path, const std::string& body,
              std::string* responseBody, const char* contentType = "application/json") {
    std::string req = method + " " + path + " HTTP/1.1\r\nHost: bench\r\nAccept: application/json\r\n";
    if (!body.empty()) {
      req += std::string("Content-Type: ") + contentType + "\r\nContent-Length: " +
             std::to_string(body.size()) + "\r\n";
    }
    req += "\r\n" + body;
    if (write(fd_, req.data(), req.size()) != static_cast<ssize_t>(req.size())) return -1;
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

json deployment(int i, int replicas) {
  std::string app = "app-" + std::to_string(i);
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"name", app}}},
          {"spec",
           {{"replicas", replicas},
            {"selector", {{"matchLabels", {{"app", app}}}}},
            {"template",
             {{"metadata", {{"labels", {{"app", app}}}}},
              {"spec",
               {{"containers",
                 json::array({{{"name", "web"},
                               {"image", "nginx:1.25"},
                               {"ports", json::array({{{"containerPort", 8080}, {"name", "http"}}})}}})}}}}}}}};
}

json service(int i) {
  std::string app = "app-" + std::to_string(i);
  return {{"apiVersion", "v1"},
          {"kind", "Service"},
          {"metadata", {{"name", app}}},
          {"spec",
           {{"selector", {{"app", app}}},
            {"ports", json::array({{{"port", 80}, {"targetPort", "http"}, {"name", "http"}}})}}}};
}

json listOf(Connection& c, const std::string& path) {
  std::string body;
  if (c.request("GET", path, "", &body) != 200) return json::object();
  return json::parse(body, nullptr, false);
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 1000;
  int replicas = argc > 2 ? std::atoi(argv[2]) : 10;
  std::string minik = argc > 3 ? argv[3] : "./minik";
  char dirTemplate[] = "/tmp/minik-bench-controllers.XXXXXX";
  std::string dir = mkdtemp(dirTemplate);
  int port = 20000 + static_cast<int>(getpid() % 30000);

  auto startServer = [&]() -> pid_t {
    pid_t pid = fork();
    if (pid == 0) {
      std::string portArg = std::to_string(port);
      execl(minik.c_str(), minik.c_str(), "server", "--data-dir", (dir + "/data").c_str(),
            "--https-listen-port", portArg.c_str(), "--write-kubeconfig", (dir + "/kubeconfig").c_str(),
            "--node-name", "bench-node", "--container-runtime", "none", "--proxy-mode", "none",
            static_cast<char*>(nullptr));
      std::perror("exec minik");
      _exit(127);
    }
    for (int i = 0; i < 600; ++i) {
      usleep(50 * 1000);
      Connection probe(port);
      if (probe.ok() && probe.request("GET", "/healthz", "", nullptr) == 200) return pid;
    }
    std::fprintf(stderr, "bench-controllers: minik server did not start (%s)\n", minik.c_str());
    kill(pid, SIGKILL);
    return -1;
  };
  pid_t server = startServer();
  if (server < 0) return 1;
  sleep(1);
  std::printf("bench-controllers: %d Deployments x %d replicas + %d Services on 127.0.0.1:%d\n", n,
              replicas, n, port);
  std::printf("server RSS idle: %s\n", procStatusField(server, "VmRSS").c_str());

  Connection c(port);
  auto start = Clock::now();
  for (int i = 0; i < n; ++i) {
    if (c.request("POST", "/apis/apps/v1/namespaces/default/deployments", deployment(i, replicas).dump(),
                  nullptr) != 201 ||
        c.request("POST", "/api/v1/namespaces/default/services", service(i).dump(), nullptr) != 201) {
      std::fprintf(stderr, "create %d failed\n", i);
      kill(server, SIGKILL);
      return 1;
    }
  }
  const double createSeconds = secondsSince(start);
  const bool slices = c.request("GET", "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?limit=1",
                                "", nullptr) == 200;

  const int64_t wantedPods = static_cast<int64_t>(n) * replicas;
  int64_t marked = 0;
  double podsSeconds = -1, deploySeconds = -1, sliceSeconds = slices ? -1 : 0;
  for (int round = 0; round < 20000; ++round) {
    json pods = marked < wantedPods
                    ? listOf(c, "/api/v1/namespaces/default/pods?fieldSelector=status.phase%3DPending")
                    : json::object();
    for (const auto& pod : pods.value("items", json::array())) {
      if (pod["spec"].value("nodeName", "").empty()) continue;
      ++marked;
      std::string ip = "10.42." + std::to_string(marked / 250) + "." + std::to_string(marked % 250 + 1);
      json patch = {{"status",
                     {{"phase", "Running"},
                      {"podIP", ip},
                      {"podIPs", json::array({{{"ip", ip}}})},
                      {"conditions", json::array({{{"type", "Ready"}, {"status", "True"}}})}}}};
      c.request("PATCH",
                "/api/v1/namespaces/default/pods/" + pod["metadata"]["name"].get<std::string>() + "/status",
                patch.dump(), nullptr, "application/merge-patch+json");
    }
    if (podsSeconds < 0 && marked >= wantedPods) podsSeconds = secondsSince(start);
    // No Deployment can be R/R before every pod is marked ready: listing them
    // all each round before that would cost the bench, and the server, more
    // than what it measures.
    if (deploySeconds < 0 && marked >= wantedPods) {
      json deployments = listOf(c, "/apis/apps/v1/namespaces/default/deployments");
      int done = 0;
      for (const auto& d : deployments.value("items", json::array())) {
        if (d["metadata"]["name"].get<std::string>().rfind("app-", 0) != 0) continue;
        const json& s = d.value("status", json::object());
        if (s.value("availableReplicas", 0) == replicas && s.value("updatedReplicas", 0) == replicas &&
            s.value("replicas", 0) == replicas) {
          ++done;
        }
      }
      if (done == n) deploySeconds = secondsSince(start);
    }
    if (sliceSeconds < 0 && deploySeconds >= 0) {
      json list = listOf(c, "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices");
      std::map<std::string, int> ready;
      for (const auto& s : list.value("items", json::array())) {
        std::string svc = s["metadata"].value("labels", json::object()).value("kubernetes.io/service-name", "");
        for (const auto& e : s.value("endpoints", json::array())) {
          if (e.value("conditions", json::object()).value("ready", false)) ++ready[svc];
        }
      }
      int done = 0;
      for (const auto& [svc, count] : ready) {
        if (svc.rfind("app-", 0) == 0 && count == replicas) ++done;
      }
      if (done == n) sliceSeconds = secondsSince(start);
    }
    if (deploySeconds >= 0 && sliceSeconds >= 0) break;
    if (round % 50 == 0) {
      std::fprintf(stderr, "  %.0f s: %lld pods marked ready, server RSS %s\n", secondsSince(start),
                   static_cast<long long>(marked), procStatusField(server, "VmRSS").c_str());
    }
    usleep(200 * 1000);
  }
  std::printf("create %d Deployments + %d Services: %.2f s\n", n, n, createSeconds);
  std::printf("all %lld pods created, bound and marked ready: %.2f s after the first create\n",
              static_cast<long long>(wantedPods), podsSeconds);
  std::printf("all Deployments %d/%d: %.2f s after the first create\n", replicas, replicas, deploySeconds);
  if (slices) std::printf("all EndpointSlices with %d ready endpoints: %.2f s after the first create\n", replicas, sliceSeconds);
  else std::printf("EndpointSlices: not served; skipped\n");
  std::printf("server RSS converged: %s, peak: %s\n", procStatusField(server, "VmRSS").c_str(),
              procStatusField(server, "VmHWM").c_str());
  kill(server, SIGTERM);
  waitpid(server, nullptr, 0);

  // Steady state without the garbage of convergence: restart on the same data
  // and let the controllers resync (they must find nothing to do).
  start = Clock::now();
  server = startServer();
  if (server >= 0) {
    sleep(10);
    std::string rss = procStatusField(server, "VmRSS");
    Connection again(port);
    json pods = listOf(again, "/api/v1/namespaces/default/pods");
    std::printf("after restart: %zu pods (%lld expected), server RSS 10 s after start: %s\n",
                pods.value("items", json::array()).size(), static_cast<long long>(wantedPods), rss.c_str());
    kill(server, SIGTERM);
    waitpid(server, nullptr, 0);
  }
  std::string cleanup = "rm -rf '" + dir + "'";
  bool converged = deploySeconds >= 0 && sliceSeconds >= 0;
  return std::system(cleanup.c_str()) == 0 && converged ? 0 : 1;
}
