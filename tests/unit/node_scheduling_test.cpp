// The server's Node as a kubelet registers it, and the scheduler's choice.
#include <catch2/catch.hpp>

#include "controllers/node_registration.h"
#include "controllers/scheduler.h"

using namespace minik;
using nlohmann::json;

TEST_CASE("the node's podCIDR is the first /24 of the cluster range") {
  CHECK(firstPodCidr("10.42.0.0/16") == "10.42.0.0/24");
  CHECK(firstPodCidr("10.42.7.9/16") == "10.42.0.0/24");
  CHECK(firstPodCidr("192.168.4.0/24") == "192.168.4.0/24");
  CHECK(firstPodCidr("192.168.4.128/25") == "192.168.4.128/25");
}

TEST_CASE("the Node object carries what kubectl shows for a k3s server node") {
  MachineFacts facts;
  facts.cpus = 4;
  facts.memoryKi = 1000;
  facts.architecture = "arm64";
  facts.osImage = "Debian GNU/Linux 12 (bookworm)";
  ClusterConfig config;
  config.nodeName = "edge";
  config.nodeIp = "192.168.1.5";
  json node = nodeObject(facts, config, "2024-01-01T00:00:00Z");
  CHECK(node["metadata"]["labels"]["kubernetes.io/hostname"] == "edge");
  CHECK(node["metadata"]["labels"]["node-role.kubernetes.io/control-plane"] == "true");
  CHECK(node["metadata"]["labels"]["kubernetes.io/arch"] == "arm64");
  CHECK(node["spec"]["podCIDR"] == "10.42.0.0/24");
  CHECK(node["status"]["addresses"][0] == json{{"type", "InternalIP"}, {"address", "192.168.1.5"}});
  CHECK(node["status"]["capacity"]["cpu"] == "4");
  CHECK(node["status"]["capacity"]["memory"] == "1000Ki");
  CHECK(node["status"]["nodeInfo"]["kubeletVersion"] == "v1.31.0+minik");
  const json& ready = node["status"]["conditions"][3];
  CHECK(ready["type"] == "Ready");
  CHECK(ready["reason"] == "KubeletReady");
  CHECK(ready["message"] == "kubelet is posting ready status");
}

TEST_CASE("node status is rewritten only for a change or a due heartbeat") {
  MachineFacts facts;
  ClusterConfig config;
  config.nodeName = "edge";
  const int64_t t0 = 1704067200;
  json first = nodeObject(facts, config, "2024-01-01T00:00:00Z")["status"];
  json later = nodeObject(facts, config, "2024-01-01T00:01:00Z")["status"];
  CHECK(nextNodeStatus(first, later, t0 + 60) == first);
  json due = nextNodeStatus(first, later, t0 + kHeartbeatSeconds);
  CHECK(due != first);
  CHECK(due["conditions"][3]["lastHeartbeatTime"] == "2024-01-01T00:01:00Z");
  CHECK(due["conditions"][3]["lastTransitionTime"] == "2024-01-01T00:00:00Z");
}

TEST_CASE("the scheduler picks the least loaded Ready node that fits") {
  NodeView a, b, c;
  a.name = "a";
  a.ready = true;
  b.name = "b";
  b.ready = true;
  b.labels["disk"] = "ssd";
  c.name = "c";
  c.ready = false;
  std::vector<const NodeView*> nodes = {&a, &b, &c};
  CHECK(*pickNode(nodes, {}, {{"a", 3}, {"b", 1}}).node == "b");
  CHECK(*pickNode(nodes, {}, {}).node == "a");  // ties by name
  CHECK(*pickNode(nodes, {{"disk", "ssd"}}, {{"b", 9}}).node == "b");
  NodeChoice none = pickNode(nodes, {{"disk", "nvme"}}, {});
  CHECK_FALSE(none.node);
  CHECK(none.whyNot ==
        "0/3 nodes are available: 2 node(s) didn't match Pod's node affinity/selector, "
        "1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }.");
  CHECK(pickNode({}, {}, {}).whyNot == "no nodes available to schedule pods");
}
