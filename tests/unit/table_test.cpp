// Table output (apiserver/table.h): the columns and cells a real API server
// sends for `kubectl get`, checked against Kubernetes' printers.go.
#include "apiserver/table.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "api/kinds.h"

using nlohmann::json;
using namespace minik;

namespace {

const std::time_t kNow = 1714564800;  // 2024-05-01T12:00:00Z

const KindInfo& kindOf(const char* apiVersion, const char* kind) {
  const KindInfo* info = findKindByKind(apiVersion, kind);
  REQUIRE(info != nullptr);
  return *info;
}

json cellsOf(const char* apiVersion, const char* kind, const json& object) {
  return tableRow(kindOf(apiVersion, kind), object, "", kNow)["cells"];
}

std::vector<std::string> columnNames(const json& columns) {
  std::vector<std::string> names;
  for (const auto& column : columns) names.push_back(column["name"]);
  return names;
}

json meta(const char* name, const char* created = "2024-05-01T11:50:00Z") {
  return {{"name", name}, {"namespace", "default"}, {"creationTimestamp", created}};
}

json runningContainer(const char* name, int restarts = 0) {
  return {{"name", name},
          {"ready", true},
          {"restartCount", restarts},
          {"started", true},
          {"state", {{"running", {{"startedAt", "2024-05-01T11:51:00Z"}}}}}};
}

json runningPod() {
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata", meta("web-7d4b9c-x2x9q")},
          {"spec",
           {{"nodeName", "edge-1"},
            {"containers",
             {{{"name", "web"}, {"image", "nginx"}}, {{"name", "log"}, {"image", "busybox"}}}}}},
          {"status",
           {{"phase", "Running"},
            {"podIP", "10.42.0.5"},
            {"podIPs", {{{"ip", "10.42.0.5"}}}},
            {"conditions", {{{"type", "Ready"}, {"status", "True"}}}},
            {"containerStatuses", {runningContainer("web"), runningContainer("log")}}}}};
}

}  // namespace

TEST_CASE("humanDuration follows apimachinery's HumanDuration boundaries") {
  const long day = 86400, hour = 3600;
  CHECK(humanDuration(-2) == "<invalid>");
  CHECK(humanDuration(-1) == "0s");
  CHECK(humanDuration(0) == "0s");
  CHECK(humanDuration(5) == "5s");
  CHECK(humanDuration(119) == "119s");
  CHECK(humanDuration(120) == "2m");
  CHECK(humanDuration(123) == "2m3s");
  CHECK(humanDuration(599) == "9m59s");
  CHECK(humanDuration(600) == "10m");
  CHECK(humanDuration(3 * hour - 1) == "179m");
  CHECK(humanDuration(3 * hour) == "3h");
  CHECK(humanDuration(3 * hour + 5 * 60) == "3h5m");
  CHECK(humanDuration(8 * hour - 1) == "7h59m");
  CHECK(humanDuration(8 * hour + 30 * 60) == "8h");
  CHECK(humanDuration(47 * hour) == "47h");
  CHECK(humanDuration(48 * hour) == "2d");
  CHECK(humanDuration(2 * day + 3 * hour) == "2d3h");
  CHECK(humanDuration(8 * day + 3 * hour) == "8d");
  CHECK(humanDuration(729 * day) == "729d");
  CHECK(humanDuration(730 * day) == "2y");
  CHECK(humanDuration(731 * day) == "2y1d");
  CHECK(humanDuration(8 * 365 * day + 40 * day) == "8y");
}

TEST_CASE("pod columns are printPod's, wide ones at priority 1") {
  json columns = tableColumns(kindOf("v1", "Pod"));
  CHECK(columnNames(columns) == std::vector<std::string>{"Name", "Ready", "Status", "Restarts",
                                                         "Age", "IP", "Node", "Nominated Node",
                                                         "Readiness Gates"});
  CHECK(columns[0]["format"] == "name");
  CHECK(columns[0]["type"] == "string");
  CHECK(columns[1]["format"] == "");
  CHECK(columns[3]["type"] == "string");
  CHECK(columns[4]["type"] == "string");
  CHECK(columns[4]["priority"] == 0);
  for (int i = 5; i < 9; ++i) CHECK(columns[i]["priority"] == 1);
  CHECK(columns[5]["description"] ==
        "podIP address allocated to the pod. Routable at least within the cluster. Empty if not "
        "yet allocated.");
  CHECK(columns[0]["description"].get<std::string>().rfind("Name must be unique", 0) == 0);
}

TEST_CASE("a running pod with two ready containers") {
  json cells = cellsOf("v1", "Pod", runningPod());
  CHECK(cells == json::array({"web-7d4b9c-x2x9q", "2/2", "Running", "0", "10m", "10.42.0.5",
                              "edge-1", "<none>", "<none>"}));
  json row = tableRow(kindOf("v1", "Pod"), runningPod(), "", kNow);
  CHECK_FALSE(row.contains("conditions"));
}

TEST_CASE("a crash-looping pod shows the waiting reason and when it last restarted") {
  json pod = runningPod();
  pod["spec"]["containers"] = {{{"name", "web"}, {"image", "nginx"}}};
  pod["status"]["conditions"] = {{{"type", "Ready"}, {"status", "False"}}};
  pod["status"]["containerStatuses"] = {
      {{"name", "web"},
       {"ready", false},
       {"restartCount", 5},
       {"state", {{"waiting", {{"reason", "CrashLoopBackOff"}, {"message", "back-off 2m40s"}}}}},
       {"lastState",
        {{"terminated",
          {{"exitCode", 1}, {"reason", "Error"}, {"finishedAt", "2024-05-01T11:55:00Z"}}}}}}};
  json cells = cellsOf("v1", "Pod", pod);
  CHECK(cells[1] == "0/1");
  CHECK(cells[2] == "CrashLoopBackOff");
  CHECK(cells[3] == "5 (5m ago)");
}

TEST_CASE("pod status reasons follow printPod") {
  SECTION("terminating while running") {
    json pod = runningPod();
    pod["metadata"]["deletionTimestamp"] = "2024-05-01T11:59:30Z";
    CHECK(cellsOf("v1", "Pod", pod)[2] == "Terminating");
  }
  SECTION("deleted on a lost node") {
    json pod = runningPod();
    pod["metadata"]["deletionTimestamp"] = "2024-05-01T11:59:30Z";
    pod["status"]["reason"] = "NodeLost";
    CHECK(cellsOf("v1", "Pod", pod)[2] == "Unknown");
  }
  SECTION("container being created, no IP yet") {
    json pod = runningPod();
    pod["status"] = {{"phase", "Pending"},
                     {"containerStatuses",
                      {{{"name", "web"},
                        {"ready", false},
                        {"restartCount", 0},
                        {"state", {{"waiting", {{"reason", "ContainerCreating"}}}}}}}}};
    json cells = cellsOf("v1", "Pod", pod);
    CHECK(cells[1] == "0/2");
    CHECK(cells[2] == "ContainerCreating");
    CHECK(cells[5] == "<none>");
  }
  SECTION("pending, not yet scheduled") {
    json pod = runningPod();
    pod["spec"].erase("nodeName");
    pod["status"] = {{"phase", "Pending"}};
    json cells = cellsOf("v1", "Pod", pod);
    CHECK(cells[2] == "Pending");
    CHECK(cells[6] == "<none>");
  }
  SECTION("an init container still running") {
    json pod = runningPod();
    pod["spec"]["initContainers"] = {{{"name", "migrate"}, {"image", "busybox"}}};
    pod["status"] = {{"phase", "Pending"},
                     {"conditions", {{{"type", "Initialized"}, {"status", "False"}}}},
                     {"initContainerStatuses",
                      {{{"name", "migrate"},
                        {"ready", false},
                        {"restartCount", 0},
                        {"state", {{"running", {{"startedAt", "2024-05-01T11:59:00Z"}}}}}}}},
                     {"containerStatuses",
                      {{{"name", "web"},
                        {"ready", false},
                        {"restartCount", 0},
                        {"state", {{"waiting", {{"reason", "PodInitializing"}}}}}}}}};
    CHECK(cellsOf("v1", "Pod", pod)[2] == "Init:0/1");
  }
  SECTION("an init container crash-looping") {
    json pod = runningPod();
    pod["spec"]["initContainers"] = {{{"name", "migrate"}, {"image", "busybox"}}};
    pod["status"] = {{"phase", "Pending"},
                     {"initContainerStatuses",
                      {{{"name", "migrate"},
                        {"ready", false},
                        {"restartCount", 3},
                        {"state", {{"waiting", {{"reason", "CrashLoopBackOff"}}}}}}}}};
    json cells = cellsOf("v1", "Pod", pod);
    CHECK(cells[2] == "Init:CrashLoopBackOff");
    CHECK(cells[3] == "3");  // no lastState: no "(ago)"
  }
  SECTION("an init container failed without a reason") {
    json pod = runningPod();
    pod["spec"]["initContainers"] = {{{"name", "migrate"}, {"image", "busybox"}}};
    pod["status"] = {{"phase", "Pending"},
                     {"initContainerStatuses",
                      {{{"name", "migrate"}, {"state", {{"terminated", {{"exitCode", 2}}}}}}}}};
    CHECK(cellsOf("v1", "Pod", pod)[2] == "Init:ExitCode:2");
  }
  SECTION("completed, with a Completed row condition") {
    json pod = runningPod();
    pod["spec"]["containers"] = {{{"name", "job"}, {"image", "busybox"}}};
    pod["status"] = {{"phase", "Succeeded"},
                     {"containerStatuses",
                      {{{"name", "job"},
                        {"ready", false},
                        {"restartCount", 0},
                        {"state", {{"terminated", {{"exitCode", 0}, {"reason", "Completed"}}}}}}}}};
    json row = tableRow(kindOf("v1", "Pod"), pod, "", kNow);
    CHECK(row["cells"][1] == "0/1");
    CHECK(row["cells"][2] == "Completed");
    CHECK(row["conditions"] == json::parse(R"([{"type":"Completed","status":"True",
        "reason":"Succeeded","message":"The pod has completed successfully."}])"));

    pod["metadata"]["deletionTimestamp"] = "2024-05-01T11:59:30Z";
    CHECK(cellsOf("v1", "Pod", pod)[2] == "Completed");  // terminal pods never print Terminating
  }
  SECTION("killed by a signal") {
    json pod = runningPod();
    pod["status"]["containerStatuses"][1]["state"] = {
        {"terminated", {{"exitCode", 137}, {"signal", 9}}}};
    CHECK(cellsOf("v1", "Pod", pod)[2] == "Signal:9");
  }
  SECTION("one container completed while another still runs") {
    json pod = runningPod();
    pod["status"]["containerStatuses"][1]["state"] = {
        {"terminated", {{"exitCode", 0}, {"reason", "Completed"}}}};
    pod["status"]["containerStatuses"][1]["ready"] = false;
    json cells = cellsOf("v1", "Pod", pod);
    CHECK(cells[1] == "1/2");
    CHECK(cells[2] == "Running");
  }
  SECTION("scheduling gated") {
    json pod = runningPod();
    pod["status"] = {
        {"phase", "Pending"},
        {"conditions",
         {{{"type", "PodScheduled"}, {"status", "False"}, {"reason", "SchedulingGated"}}}}};
    CHECK(cellsOf("v1", "Pod", pod)[2] == "SchedulingGated");
  }
}

TEST_CASE("pod restarts count every container and keep the latest restart time") {
  json pod = runningPod();
  pod["status"]["containerStatuses"][0]["restartCount"] = 2;
  pod["status"]["containerStatuses"][0]["lastState"] = {
      {"terminated", {{"exitCode", 1}, {"finishedAt", "2024-05-01T09:00:00Z"}}}};
  pod["status"]["containerStatuses"][1]["restartCount"] = 1;
  pod["status"]["containerStatuses"][1]["lastState"] = {
      {"terminated", {{"exitCode", 1}, {"finishedAt", "2024-05-01T11:58:00Z"}}}};
  json cells = cellsOf("v1", "Pod", pod);
  CHECK(cells[2] == "Running");
  CHECK(cells[3] == "3 (2m ago)");
}

TEST_CASE("a sidecar init container counts as a container of the pod") {
  json pod = runningPod();
  pod["spec"]["initContainers"] = {
      {{"name", "proxy"}, {"image", "envoy"}, {"restartPolicy", "Always"}}};
  pod["status"]["conditions"] = {{{"type", "Initialized"}, {"status", "True"}},
                                 {{"type", "Ready"}, {"status", "True"}}};
  pod["status"]["initContainerStatuses"] = {runningContainer("proxy", 1)};
  json cells = cellsOf("v1", "Pod", pod);
  CHECK(cells[1] == "3/3");
  CHECK(cells[2] == "Running");
  CHECK(cells[3] == "1");
}

TEST_CASE("pod readiness gates print true conditions over gates") {
  json pod = runningPod();
  pod["spec"]["readinessGates"] = {{{"conditionType", "example.com/lb"}},
                                   {{"conditionType", "example.com/dns"}}};
  pod["status"]["conditions"].push_back({{"type", "example.com/lb"}, {"status", "True"}});
  pod["status"]["nominatedNodeName"] = "edge-2";
  json cells = cellsOf("v1", "Pod", pod);
  CHECK(cells[7] == "edge-2");
  CHECK(cells[8] == "1/2");
}

TEST_CASE("service columns and cells") {
  CHECK(columnNames(tableColumns(kindOf("v1", "Service"))) ==
        std::vector<std::string>{"Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age",
                                 "Selector"});
  json service = {{"metadata", meta("web", "2024-04-28T12:00:00Z")},
                  {"spec",
                   {{"type", "ClusterIP"},
                    {"clusterIP", "10.43.12.34"},
                    {"clusterIPs", {"10.43.12.34"}},
                    {"selector", {{"app", "web"}, {"tier", "front"}}},
                    {"ports", {{{"port", 8080}, {"protocol", "TCP"}, {"targetPort", 8080}}}}}}};
  CHECK(cellsOf("v1", "Service", service) ==
        json::array(
            {"web", "ClusterIP", "10.43.12.34", "<none>", "8080/TCP", "3d", "app=web,tier=front"}));

  SECTION("kube-dns with its three ports") {
    json dns = {{"metadata", meta("kube-dns", "2024-04-01T12:00:00Z")},
                {"spec",
                 {{"type", "ClusterIP"},
                  {"clusterIP", "10.43.0.10"},
                  {"clusterIPs", {"10.43.0.10"}},
                  {"selector", {{"k8s-app", "kube-dns"}}},
                  {"ports",
                   {{{"name", "dns"}, {"port", 53}, {"protocol", "UDP"}},
                    {{"name", "dns-tcp"}, {"port", 53}, {"protocol", "TCP"}},
                    {{"name", "metrics"}, {"port", 9153}, {"protocol", "TCP"}}}}}}};
    json cells = cellsOf("v1", "Service", dns);
    CHECK(cells[4] == "53/UDP,53/TCP,9153/TCP");
    CHECK(cells[5] == "30d");
    CHECK(cells[6] == "k8s-app=kube-dns");
  }
  SECTION("NodePort") {
    service["spec"]["type"] = "NodePort";
    service["spec"]["ports"][0]["nodePort"] = 30080;
    service["spec"]["ports"][0]["port"] = 80;
    json cells = cellsOf("v1", "Service", service);
    CHECK(cells[3] == "<none>");
    CHECK(cells[4] == "80:30080/TCP");
  }
  SECTION("external IPs") {
    service["spec"]["externalIPs"] = {"192.168.1.10", "192.168.1.11"};
    CHECK(cellsOf("v1", "Service", service)[3] == "192.168.1.10,192.168.1.11");
  }
  SECTION("LoadBalancer pending, then with ingress") {
    service["spec"]["type"] = "LoadBalancer";
    CHECK(cellsOf("v1", "Service", service)[3] == "<pending>");
    service["status"]["loadBalancer"]["ingress"] = {{{"ip", "192.168.1.20"}},
                                                    {{"hostname", "lb.example.com"}}};
    CHECK(cellsOf("v1", "Service", service)[3] == "192.168.1.20,lb.example.com");
  }
  SECTION("ExternalName, headless, no selector, no ports") {
    json external = {{"metadata", meta("db")},
                     {"spec", {{"type", "ExternalName"}, {"externalName", "db.example.com"}}}};
    CHECK(
        cellsOf("v1", "Service", external) ==
        json::array({"db", "ExternalName", "<none>", "db.example.com", "<none>", "10m", "<none>"}));
    service["spec"]["clusterIP"] = "None";
    service["spec"]["clusterIPs"] = {"None"};
    CHECK(cellsOf("v1", "Service", service)[2] == "None");
  }
}

TEST_CASE("endpoint slices list at most three ports and endpoints") {
  CHECK(columnNames(tableColumns(kindOf("discovery.k8s.io/v1", "EndpointSlice"))) ==
        std::vector<std::string>{"Name", "AddressType", "Ports", "Endpoints", "Age"});
  json slice = {{"metadata", meta("kube-dns-7xk2p")},
                {"addressType", "IPv4"},
                {"ports",
                 {{{"name", "dns"}, {"port", 53}, {"protocol", "UDP"}},
                  {{"name", "dns-tcp"}, {"port", 53}, {"protocol", "TCP"}},
                  {{"name", "metrics"}, {"port", 9153}, {"protocol", "TCP"}}}},
                {"endpoints", json::array()}};
  for (int i = 5; i < 10; ++i) {
    slice["endpoints"].push_back(
        {{"addresses", {"10.42.0." + std::to_string(i)}}, {"conditions", {{"ready", i != 9}}}});
  }
  CHECK(cellsOf("discovery.k8s.io/v1", "EndpointSlice", slice) ==
        json::array({"kube-dns-7xk2p", "IPv4", "53,53,9153",
                     "10.42.0.5,10.42.0.6,10.42.0.7 + 2 more...", "10m"}));

  slice["ports"] = {{{"port", 80}}, {{"name", "http"}}, json::object(), {{"port", 8443}}};
  slice["endpoints"] =
      json::array({{{"addresses", {"10.42.0.5"}}}, {{"addresses", {"10.42.0.6"}}}});
  json cells = cellsOf("discovery.k8s.io/v1", "EndpointSlice", slice);
  CHECK(cells[2] == "80,http,* + 1 more...");
  CHECK(cells[3] == "10.42.0.5,10.42.0.6");

  slice.erase("ports");
  slice["endpoints"] = json::array();
  cells = cellsOf("discovery.k8s.io/v1", "EndpointSlice", slice);
  CHECK(cells[2] == "<unset>");
  CHECK(cells[3] == "<unset>");
}

TEST_CASE("endpoints print ip:port pairs") {
  json endpoints = {{"metadata", meta("web")},
                    {"subsets",
                     {{{"addresses", {{{"ip", "10.42.0.5"}}, {{"ip", "10.42.0.6"}}}},
                       {"ports", {{{"port", 8080}, {"protocol", "TCP"}}}}}}}};
  CHECK(cellsOf("v1", "Endpoints", endpoints) ==
        json::array({"web", "10.42.0.5:8080,10.42.0.6:8080", "10m"}));

  endpoints["subsets"][0]["ports"].push_back({{"port", 9090}});
  CHECK(cellsOf("v1", "Endpoints", endpoints)[1] ==
        "10.42.0.5:8080,10.42.0.6:8080,10.42.0.5:9090 + 1 more...");

  endpoints["subsets"] = {{{"addresses", {{{"ip", "fd00::5"}}}}, {"ports", {{{"port", 80}}}}}};
  CHECK(cellsOf("v1", "Endpoints", endpoints)[1] == "[fd00::5]:80");

  endpoints.erase("subsets");
  CHECK(cellsOf("v1", "Endpoints", endpoints)[1] == "<none>");
}

TEST_CASE("deployments and replica sets") {
  json selector = {{"matchLabels", {{"app", "web"}}}};
  json containers = {{{"name", "web"}, {"image", "nginx:1.25"}},
                     {{"name", "log"}, {"image", "busybox"}}};
  json deployment = {
      {"metadata", meta("web", "2024-05-01T09:00:00Z")},
      {"spec",
       {{"replicas", 2},
        {"selector", selector},
        {"template", {{"spec", {{"containers", containers}}}}}}},
      {"status",
       {{"replicas", 2}, {"readyReplicas", 2}, {"updatedReplicas", 2}, {"availableReplicas", 2}}}};
  CHECK(columnNames(tableColumns(kindOf("apps/v1", "Deployment"))) ==
        std::vector<std::string>{"Name", "Ready", "Up-to-date", "Available", "Age", "Containers",
                                 "Images", "Selector"});
  CHECK(cellsOf("apps/v1", "Deployment", deployment) ==
        json::array({"web", "2/2", 2, 2, "3h", "web,log", "nginx:1.25,busybox", "app=web"}));

  deployment["status"] = {{"replicas", 1}};
  json cells = cellsOf("apps/v1", "Deployment", deployment);
  CHECK(cells[1] == "0/2");
  CHECK(cells[2] == 0);

  json replicaSet = {{"metadata", meta("web-7d4b9c", "2024-05-01T09:00:00Z")},
                     {"spec",
                      {{"replicas", 3},
                       {"selector",
                        {{"matchLabels", {{"pod-template-hash", "7d4b9c"}, {"app", "web"}}},
                         {"matchExpressions",
                          {{{"key", "env"}, {"operator", "In"}, {"values", {"prod", "dev"}}},
                           {{"key", "canary"}, {"operator", "DoesNotExist"}}}}}},
                       {"template", {{"spec", {{"containers", containers}}}}}}},
                     {"status", {{"replicas", 3}, {"readyReplicas", 1}}}};
  CHECK(columnNames(tableColumns(kindOf("apps/v1", "ReplicaSet"))) ==
        std::vector<std::string>{"Name", "Desired", "Current", "Ready", "Age", "Containers",
                                 "Images", "Selector"});
  CHECK(cellsOf("apps/v1", "ReplicaSet", replicaSet) ==
        json::array({"web-7d4b9c", 3, 3, 1, "3h", "web,log", "nginx:1.25,busybox",
                     "app=web,!canary,env in (dev,prod),pod-template-hash=7d4b9c"}));

  replicaSet["spec"].erase("selector");
  CHECK(cellsOf("apps/v1", "ReplicaSet", replicaSet)[7] == "<none>");
  deployment["spec"].erase("selector");
  CHECK(cellsOf("apps/v1", "Deployment", deployment)[7] == "");
}

TEST_CASE("namespaces, config maps, secrets, service accounts") {
  json ns = {{"metadata", {{"name", "kube-system"}, {"creationTimestamp", "2024-04-30T12:00:00Z"}}},
             {"status", {{"phase", "Active"}}}};
  CHECK(cellsOf("v1", "Namespace", ns) == json::array({"kube-system", "Active", "24h"}));

  json configMap = {{"metadata", meta("coredns")},
                    {"data", {{"Corefile", "."}, {"NodeHosts", ""}}},
                    {"binaryData", {{"blob", "AA=="}}}};
  CHECK(cellsOf("v1", "ConfigMap", configMap) == json::array({"coredns", 3, "10m"}));
  CHECK(columnNames(tableColumns(kindOf("v1", "ConfigMap"))) ==
        std::vector<std::string>{"Name", "Data", "Age"});

  json secret = {{"metadata", meta("tls")},
                 {"type", "kubernetes.io/tls"},
                 {"data", {{"tls.crt", "AA=="}, {"tls.key", "AA=="}}}};
  CHECK(cellsOf("v1", "Secret", secret) == json::array({"tls", "kubernetes.io/tls", 2, "10m"}));
  CHECK(columnNames(tableColumns(kindOf("v1", "Secret"))) ==
        std::vector<std::string>{"Name", "Type", "Data", "Age"});

  json account = {{"metadata", meta("default")}};
  CHECK(cellsOf("v1", "ServiceAccount", account) == json::array({"default", 0, "10m"}));
  CHECK(columnNames(tableColumns(kindOf("v1", "ServiceAccount"))) ==
        std::vector<std::string>{"Name", "Secrets", "Age"});
}

TEST_CASE("nodes print readiness, roles and node info") {
  json node = {{"metadata",
                {{"name", "edge-1"},
                 {"creationTimestamp", "2024-04-01T12:00:00Z"},
                 {"labels",
                  {{"node-role.kubernetes.io/master", "true"},
                   {"node-role.kubernetes.io/control-plane", "true"},
                   {"kubernetes.io/hostname", "edge-1"}}}}},
               {"status",
                {{"conditions",
                  {{{"type", "MemoryPressure"}, {"status", "False"}},
                   {{"type", "Ready"}, {"status", "True"}}}},
                 {"addresses",
                  {{{"type", "InternalIP"}, {"address", "192.168.1.5"}},
                   {{"type", "Hostname"}, {"address", "edge-1"}}}},
                 {"nodeInfo",
                  {{"kubeletVersion", "v1.30.0+minik"},
                   {"osImage", "Debian GNU/Linux 12 (bookworm)"},
                   {"kernelVersion", "6.1.0-18-arm64"},
                   {"containerRuntimeVersion", "crun://1.14"}}}}}};
  CHECK(columnNames(tableColumns(kindOf("v1", "Node"))) ==
        std::vector<std::string>{"Name", "Status", "Roles", "Age", "Version", "Internal-IP",
                                 "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"});
  CHECK(
      cellsOf("v1", "Node", node) ==
      json::array({"edge-1", "Ready", "control-plane,master", "30d", "v1.30.0+minik", "192.168.1.5",
                   "<none>", "Debian GNU/Linux 12 (bookworm)", "6.1.0-18-arm64", "crun://1.14"}));

  node["spec"]["unschedulable"] = true;
  node["status"]["conditions"][1]["status"] = "Unknown";
  CHECK(cellsOf("v1", "Node", node)[1] == "NotReady,SchedulingDisabled");

  json bare = {{"metadata", {{"name", "edge-2"}, {"labels", {{"kubernetes.io/role", "worker"}}}}}};
  json cells = cellsOf("v1", "Node", bare);
  CHECK(cells[1] == "Unknown");
  CHECK(cells[2] == "worker");
  CHECK(cells[3] == "<unknown>");
  CHECK(cells[7] == "<unknown>");
}

TEST_CASE("events print object, source and counts") {
  CHECK(columnNames(tableColumns(kindOf("v1", "Event"))) ==
        std::vector<std::string>{"Last Seen", "Type", "Reason", "Object", "Subobject", "Source",
                                 "Message", "First Seen", "Count", "Name"});
  json columns = tableColumns(kindOf("v1", "Event"));
  CHECK(columns[9]["format"] == "name");
  CHECK(columns[9]["priority"] == 1);
  json event = {{"metadata", meta("web-x2x9q.17c1")},
                {"involvedObject",
                 {{"kind", "Pod"}, {"name", "web-x2x9q"}, {"fieldPath", "spec.containers{web}"}}},
                {"reason", "Pulled"},
                {"type", "Normal"},
                {"message", "Container image \"nginx\" already present on machine\n"},
                {"source", {{"component", "kubelet"}, {"host", "edge-1"}}},
                {"firstTimestamp", "2024-05-01T11:00:00Z"},
                {"lastTimestamp", "2024-05-01T11:59:00Z"},
                {"count", 4}};
  CHECK(cellsOf("v1", "Event", event) ==
        json::array({"60s", "Normal", "Pulled", "pod/web-x2x9q", "spec.containers{web}",
                     "kubelet, edge-1", "Container image \"nginx\" already present on machine",
                     "60m", 4, "web-x2x9q.17c1"}));

  json modern = {{"metadata", meta("web.17c2")},
                 {"involvedObject", {{"kind", "Deployment"}, {"name", "web"}}},
                 {"reason", "ScalingReplicaSet"},
                 {"type", "Normal"},
                 {"message", "Scaled up replica set web-7d4b9c to 2"},
                 {"eventTime", "2024-05-01T11:57:00.123456Z"},
                 {"reportingComponent", "deployment-controller"}};
  json cells = cellsOf("v1", "Event", modern);
  // Go truncates the exact 2m59.876544s.
  CHECK(cells[0] == "2m59s");
  CHECK(cells[3] == "deployment/web");
  CHECK(cells[5] == "deployment-controller");
  CHECK(cells[7] == "2m59s");
  CHECK(cells[8] == 1);

  modern["series"] = {{"count", 7}, {"lastObservedTime", "2024-05-01T11:59:50.000000Z"}};
  cells = cellsOf("v1", "Event", modern);
  CHECK(cells[0] == "10s");
  CHECK(cells[8] == 7);
}

TEST_CASE("row objects follow includeObject") {
  const KindInfo& pod = kindOf("v1", "Pod");
  json object = runningPod();
  CHECK(tableRow(pod, object, "Object", kNow)["object"] == object);
  json partial = {{"kind", "PartialObjectMetadata"},
                  {"apiVersion", "meta.k8s.io/v1"},
                  {"metadata", object["metadata"]}};
  CHECK(tableRow(pod, object, "Metadata", kNow)["object"] == partial);
  CHECK(tableRow(pod, object, "", kNow)["object"] == partial);
  json none = tableRow(pod, object, "None", kNow);
  REQUIRE(none.contains("object"));
  CHECK(none["object"].is_null());
}

TEST_CASE("every served kind has as many cells as columns") {
  json bare = {{"metadata", {{"name", "x"}}}};
  for (const auto& kind : allKinds()) {
    INFO(kind.kind);
    json columns = tableColumns(kind);
    CHECK(columns.size() >= 2);
    CHECK(tableRow(kind, bare, "", kNow)["cells"].size() == columns.size());
    CHECK(tableRow(kind, bare, "", kNow)["cells"][kind.kind == "Event" ? 9 : 0] == "x");
    for (const auto& column : columns) {
      CHECK(column["description"].get<std::string>().size() > 0);
      CHECK((column["format"] == "" || column["format"] == "name"));
    }
  }
}

TEST_CASE("kinds without a printer get the generic Name and Created At table") {
  KindInfo widget;
  widget.group = "example.com";
  widget.version = "v1";
  widget.kind = "Widget";
  json columns = tableColumns(widget);
  CHECK(columnNames(columns) == std::vector<std::string>{"Name", "Created At"});
  CHECK(columns[1]["type"] == "date");
  json object = {{"metadata", {{"name", "w"}, {"creationTimestamp", "2024-05-01T13:30:00+02:00"}}}};
  CHECK(tableRow(widget, object, "", kNow)["cells"] == json::array({"w", "2024-05-01T11:30:00Z"}));
  CHECK(tableRow(widget, {{"metadata", {{"name", "v"}}}}, "", kNow)["cells"][1] ==
        "0001-01-01T00:00:00Z");
}
