#include <catch2/catch.hpp>

#include "controllers/kube_system_bootstrap.h"

using namespace minik;
using nlohmann::json;

namespace {

json corednsPod() {
  return json{{"metadata", {{"name", "coredns-abc-x2b4c"}, {"namespace", "kube-system"}, {"uid", "u1"}}},
              {"spec", {{"nodeName", "n1"}, {"containers", json::array({{{"name", "coredns"}, {"image", "i"}}})}}},
              {"status", {{"phase", "Pending"}}}};
}

ClusterConfig config() {
  ClusterConfig c;
  c.nodeIp = "192.168.1.5";
  return c;
}

std::string conditionOf(const json& status, const std::string& type, const std::string& field) {
  for (const auto& c : status["conditions"]) {
    if (c["type"] == type) return c.value(field, "");
  }
  return "<none>";
}

}  // namespace

TEST_CASE("the DNS pod is Ready only while the server serves", "[kube_system_bootstrap_test]") {
  json serving = servingPodStatus(corednsPod(), config(), "192.168.1.5", "2024-01-01T00:00:00Z", true);
  CHECK(serving["phase"] == "Running");
  CHECK(serving["podIP"] == "192.168.1.5");
  CHECK(conditionOf(serving, "Ready", "status") == "True");
  CHECK(conditionOf(serving, "ContainersReady", "status") == "True");
  CHECK(serving["containerStatuses"][0]["ready"] == true);

  json pod = corednsPod();
  pod["status"] = serving;
  json stopped = servingPodStatus(pod, config(), "192.168.1.5", "2024-01-01T00:01:00Z", false);
  CHECK(stopped["phase"] == "Running");
  CHECK(conditionOf(stopped, "Ready", "status") == "False");
  CHECK(conditionOf(stopped, "Ready", "reason") == "ContainersNotReady");
  CHECK(conditionOf(stopped, "Ready", "message") == "containers with unready status: [coredns]");
  CHECK(conditionOf(stopped, "Ready", "lastTransitionTime") == "2024-01-01T00:01:00Z");
  CHECK(conditionOf(stopped, "PodScheduled", "lastTransitionTime") == "2024-01-01T00:00:00Z");
  CHECK(stopped["containerStatuses"][0]["ready"] == false);

  // Unchanged serving keeps the transition times, so nothing is rewritten.
  pod["status"] = stopped;
  CHECK(servingPodStatus(pod, config(), "192.168.1.5", "2024-01-01T00:02:00Z", false) == stopped);
}

TEST_CASE("the DNS pod's IP is where the server really serves", "[kube_system_bootstrap_test]") {
  // The node's address held by another resolver: the server serves on the
  // pod network's address, and the pod (hence kube-dns's endpoints) says so.
  json fallback = servingPodStatus(corednsPod(), config(), "10.42.0.1", "2024-01-01T00:00:00Z", true);
  CHECK(fallback["podIP"] == "10.42.0.1");
  CHECK(fallback["podIPs"] == json::array({{{"ip", "10.42.0.1"}}}));
  CHECK(fallback["hostIP"] == "192.168.1.5");

  // Bound nowhere: no address to list, and not Ready.
  json pod = corednsPod();
  pod["status"] = fallback;
  json nowhere = servingPodStatus(pod, config(), "", "2024-01-01T00:01:00Z", false);
  CHECK_FALSE(nowhere.contains("podIP"));
  CHECK_FALSE(nowhere.contains("podIPs"));
  CHECK(conditionOf(nowhere, "Ready", "status") == "False");
}
