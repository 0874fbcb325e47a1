// The cluster DNS: the zone is built on the client's loop (ZoneBuilder) and
// served from a loop on a thread of its own, which reads it through the
// ZoneSlot and never waits on the API side.
#include "dns/cluster_dns.h"

#include <netinet/in.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "dns/client_ranges.h"
#include "dns/forwarder.h"
#include "dns/responder.h"
#include "dns/tcp_server.h"
#include "dns/udp_server.h"
#include "dns/zone_builder.h"

namespace minik {

namespace {

using namespace dns;

constexpr uint64_t kRebindMs = 5000;

// "127.0.0.1:5353", "[::1]:5353" -> socket address.
bool parseListen(const std::string& text, sockaddr_storage* out) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos) return false;
  std::string host = text.substr(0, colon);
  int port = std::atoi(text.c_str() + colon + 1);
  if (port <= 0 || port > 65535) return false;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return uv_ip6_addr(host.substr(1, host.size() - 2).c_str(), port,
                       reinterpret_cast<sockaddr_in6*>(out)) == 0;
  }
  return uv_ip4_addr(host.c_str(), port, reinterpret_cast<sockaddr_in*>(out)) == 0;
}

// The address alone, as a pod's IP is written.
std::string hostOf(const sockaddr_storage& ss) {
  char host[64] = {0};
  if (ss.ss_family == AF_INET6) uv_ip6_name(reinterpret_cast<const sockaddr_in6*>(&ss), host, sizeof host);
  else uv_ip4_name(reinterpret_cast<const sockaddr_in*>(&ss), host, sizeof host);
  return host;
}

std::string describe(const sockaddr_storage& ss) {
  if (ss.ss_family == AF_INET6) {
    return "[" + hostOf(ss) + "]:" + std::to_string(ntohs(reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_port));
  }
  return hostOf(ss) + ":" + std::to_string(ntohs(reinterpret_cast<const sockaddr_in*>(&ss)->sin_port));
}

class ServingClusterDns : public ClusterDns {
 public:
  ServingClusterDns(uv_loop_t* loop, ClusterClient& client, const ClusterConfig& config,
                    const ClusterDnsOptions& options)
      : config_(config), options_(options), builder_(loop, client, config, zones_) {}

  ~ServingClusterDns() override { stop(); }

  bool start(std::string* error) override {
    for (const auto& cidr : {config_.clusterCidr, config_.serviceCidr, config_.nodeIp,
                             std::string("127.0.0.0/8"), std::string("::1")}) {
      if (!cidr.empty()) recursionClients_.add(cidr);
    }
    builder_.start();  // the first zone exists before the first answer
    if (!startServing(error)) {
      builder_.stop();
      return false;
    }
    return true;
  }

  void stop() override {
    stopServing();
    builder_.stop();
  }

  bool startServing(std::string* error) override {
    if (running_) return true;
    std::vector<sockaddr_storage> listens;
    for (const auto& text : options_.listen) {
      sockaddr_storage ss{};
      if (!parseListen(text, &ss)) {
        if (error) *error = "cannot parse DNS listen address " + text;
        return false;
      }
      listens.push_back(ss);
    }
    podAddresses_.clear();
    for (const auto& text : options_.podAddresses) {
      sockaddr_storage ss{};
      if (text.empty()) continue;
      if (uv_ip4_addr(text.c_str(), 53, reinterpret_cast<sockaddr_in*>(&ss)) != 0 &&
          uv_ip6_addr(text.c_str(), 53, reinterpret_cast<sockaddr_in6*>(&ss)) != 0) {
        if (error) *error = "cannot parse DNS pod address " + text;
        return false;
      }
      podAddresses_.push_back(ss);
    }

    uv_loop_init(&loop_);
    std::vector<sockaddr_storage> ours = listens;
    ours.insert(ours.end(), podAddresses_.begin(), podAddresses_.end());
    std::vector<sockaddr_storage> upstreams = readResolvConf(options_.resolvConf, ours);
    forwarder_ = std::make_unique<Forwarder>(&loop_, upstreams);
    std::string why;
    if (!forwarder_->start(&why)) {
      std::fprintf(stderr, "minik server: cluster DNS: no forwarding: %s\n", why.c_str());
      forwarder_.reset();
    }
    responder_ = std::make_unique<Responder>(zones_, forwarder_.get(), recursionClients_);
    for (const auto& address : listens) {
      if (!bind(address, &why)) {
        if (error) *error = "cannot listen on " + describe(address) + ": " + why;
        closeAll();
        uv_run(&loop_, UV_RUN_DEFAULT);
        releaseServing();
        return false;
      }
    }
    if (!podAddresses_.empty() && !bindPodAddress()) {
      // Nothing can serve the kube-dns endpoints now; try again now and then
      // (the other resolver may go, the pod network may come up).
      rebind_ = std::make_unique<uv_timer_t>();
      uv_timer_init(&loop_, rebind_.get());
      rebind_->data = this;
      uv_timer_start(rebind_.get(), [](uv_timer_t* t) { static_cast<ServingClusterDns*>(t->data)->retryPodAddress(); },
                     kRebindMs, kRebindMs);
    }
    std::string names;
    for (const auto& u : upstreams) names += (names.empty() ? "" : ", ") + describe(u);
    std::fprintf(stderr, "minik server: cluster DNS for %s; upstream resolvers (%s): %s\n",
                 config_.clusterDomain.c_str(), options_.resolvConf.c_str(),
                 names.empty() ? "none" : names.c_str());

    stopSignal_ = std::make_unique<uv_async_t>();
    uv_async_init(&loop_, stopSignal_.get(), [](uv_async_t* a) { static_cast<ServingClusterDns*>(a->data)->closeAll(); });
    stopSignal_->data = this;
    thread_ = std::thread([this] { uv_run(&loop_, UV_RUN_DEFAULT); });
    running_ = true;
    return true;
  }

  void stopServing() override {
    if (!running_) return;
    running_ = false;
    uv_async_send(stopSignal_.get());
    thread_.join();
    releaseServing();
    std::fprintf(stderr, "minik server: cluster DNS stopped serving\n");
  }

  // With pod addresses, serving means serving the kube-dns endpoints.
  bool serving() const override {
    if (!running_) return false;
    return podAddresses_.empty() ? bound_.load() > 0 : !podIp().empty();
  }

  std::string podIp() const override {
    std::lock_guard<std::mutex> lock(podIpMutex_);
    return podIp_;
  }

 private:
  bool bind(const sockaddr_storage& address, std::string* why) {
    auto udp = std::make_unique<UdpServer>(&loop_, *responder_);
    auto tcp = std::make_unique<TcpServer>(&loop_, *responder_);
    const auto* sa = reinterpret_cast<const sockaddr*>(&address);
    if (!udp->listen(sa, why)) return false;
    if (!tcp->listen(sa, why)) {
      udp->close();
      return false;
    }
    std::fprintf(stderr, "minik server: cluster DNS serving on %s (udp, tcp)\n", describe(address).c_str());
    udp_.push_back(std::move(udp));
    tcp_.push_back(std::move(tcp));
    ++bound_;
    return true;
  }

  // Once the serving loop has run to its end: frees what it served with,
  // so that startServing() begins afresh.
  void releaseServing() {
    udp_.clear();
    tcp_.clear();
    rebind_.reset();
    stopSignal_.reset();
    responder_.reset();
    forwarder_.reset();
    uv_loop_close(&loop_);
    loop_ = uv_loop_t{};
    bound_ = 0;
    std::lock_guard<std::mutex> lock(podIpMutex_);
    podIp_.clear();
  }

  // Port 53 on the first pod address that binds; the log says which one
  // and, for each address passed over, why. True when one was bound.
  bool bindPodAddress() {
    std::string passed;
    for (const auto& address : podAddresses_) {
      std::string why;
      if (bind(address, &why)) {
        if (!passed.empty()) {
          std::fprintf(stderr,
                       "minik server: cluster DNS: %s; the kube-dns endpoints are %s instead (the coredns pod's IP)\n",
                       passed.c_str(), describe(address).c_str());
        }
        std::lock_guard<std::mutex> lock(podIpMutex_);
        podIp_ = hostOf(address);
        lastBindError_.clear();
        return true;
      }
      passed += (passed.empty() ? "cannot listen on " : "; nor on ") + describe(address) + " (" + why +
                (why.find("in use") != std::string::npos ? ": another DNS server holds that port" : "") + ")";
    }
    if (passed != lastBindError_) {
      std::fprintf(stderr,
                   "minik server: cluster DNS: %s; the kube-dns endpoints stay not ready and pods get no cluster "
                   "DNS; trying again every %llus\n",
                   passed.c_str(), (unsigned long long)(kRebindMs / 1000));
      lastBindError_ = passed;
    }
    return false;
  }

  void retryPodAddress() {
    if (bindPodAddress()) uv_timer_stop(rebind_.get());
  }

  // On the serving loop: closes every handle so that uv_run returns.
  void closeAll() {
    bound_ = 0;
    for (auto& u : udp_) u->close();
    for (auto& t : tcp_) t->close();
    if (forwarder_) forwarder_->stop();
    if (rebind_) uv_close(reinterpret_cast<uv_handle_t*>(rebind_.get()), nullptr);
    if (stopSignal_) uv_close(reinterpret_cast<uv_handle_t*>(stopSignal_.get()), nullptr);
  }

  ClusterConfig config_;
  ClusterDnsOptions options_;
  ZoneSlot zones_;
  ZoneBuilder builder_;
  ClientRanges recursionClients_;
  uv_loop_t loop_{};
  std::thread thread_;
  bool running_ = false;
  // Addresses bound; written on the serving thread (late binds), read by
  // serving() on the client's.
  std::atomic<int> bound_{0};
  std::unique_ptr<Forwarder> forwarder_;
  std::unique_ptr<Responder> responder_;
  std::vector<std::unique_ptr<UdpServer>> udp_;
  std::vector<std::unique_ptr<TcpServer>> tcp_;
  std::vector<sockaddr_storage> podAddresses_;
  std::string lastBindError_;
  // Written on the serving thread (late binds), read on the client's.
  mutable std::mutex podIpMutex_;
  std::string podIp_;
  std::unique_ptr<uv_timer_t> rebind_;
  std::unique_ptr<uv_async_t> stopSignal_;
};

}  // namespace

std::unique_ptr<ClusterDns> makeClusterDns(uv_loop_t* loop, ClusterClient& client,
                                           const ClusterConfig& config,
                                           const ClusterDnsOptions& options) {
  return std::make_unique<ServingClusterDns>(loop, client, config, options);
}

}  // namespace minik
