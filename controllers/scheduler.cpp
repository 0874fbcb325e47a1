#include "controllers/scheduler.h"

#include <cstdio>

#include "controllers/object_fields.h"
#include "controllers/rfc3339.h"

namespace minik {

using nlohmann::json;

NodeView NodeView::fromObject(const json& node) {
  NodeView v;
  v.name = stringAt(node, "/metadata/name");
  v.uid = stringAt(node, "/metadata/uid");
  v.unschedulable = boolAt(node, "/spec/unschedulable");
  v.labels = labelsOf(node);
  const json& conditions = at(node, "/status/conditions");
  if (conditions.is_array()) {
    for (const auto& c : conditions) {
      if (stringAt(c, "/type") == "Ready") v.ready = stringAt(c, "/status") == "True";
    }
  }
  return v;
}

NodeChoice pickNode(const std::vector<const NodeView*>& nodes, const Labels& nodeSelector,
                    const std::unordered_map<std::string, int>& podsPerNode) {
  NodeChoice choice;
  if (nodes.empty()) {
    choice.whyNot = "no nodes available to schedule pods";
    return choice;
  }
  int notReady = 0, unschedulable = 0, mismatched = 0;
  int best = 0;
  for (const NodeView* n : nodes) {
    if (!n->ready) {
      ++notReady;
      continue;
    }
    if (n->unschedulable) {
      ++unschedulable;
      continue;
    }
    bool fits = true;
    for (const auto& [k, v] : nodeSelector) {
      auto it = n->labels.find(k);
      if (it == n->labels.end() || it->second != v) fits = false;
    }
    if (!fits) {
      ++mismatched;
      continue;
    }
    auto it = podsPerNode.find(n->name);
    int load = it == podsPerNode.end() ? 0 : it->second;
    if (!choice.node || load < best || (load == best && n->name < *choice.node)) {
      choice.node = n->name;
      best = load;
    }
  }
  if (choice.node) return choice;
  // As the scheduler's FitError words it, reasons sorted.
  std::map<std::string, int> reasons;
  if (mismatched) reasons["node(s) didn't match Pod's node affinity/selector"] = mismatched;
  if (notReady) reasons["node(s) had untolerated taint {node.kubernetes.io/not-ready: }"] = notReady;
  if (unschedulable) reasons["node(s) were unschedulable"] = unschedulable;
  std::string text = "0/" + std::to_string(nodes.size()) + " nodes are available:";
  bool first = true;
  for (const auto& [reason, n] : reasons) {
    text += (first ? " " : ", ") + std::to_string(n) + " " + reason;
    first = false;
  }
  choice.whyNot = text + ".";
  return choice;
}

Scheduler::Scheduler(uv_loop_t* loop, ClusterClient& client, ViewCache<WorkloadPodView>& pods,
                     ViewCache<NodeView>& nodes)
    : client_(client),
      pods_(pods),
      nodes_(nodes),
      podKind_(kindOf("", "pods")),
      queue_(loop, [this](const std::string& key) { return schedule(key); }) {
  pods_.listen([this](const WorkloadPodView* before, const WorkloadPodView* after) {
    if (before && before->active() && !before->nodeName.empty()) --podsPerNode_[before->nodeName];
    if (after && after->active() && !after->nodeName.empty()) ++podsPerNode_[after->nodeName];
    if (before) waiting_.erase(objectKey(before->ns, before->name));
    if (after && after->active() && after->nodeName.empty() && after->defaultScheduler) {
      std::string key = objectKey(after->ns, after->name);
      waiting_.insert(key);
      queue_.add(key);
    }
  });
  nodes_.listen([this](const NodeView*, const NodeView*) {
    for (const auto& key : waiting_) queue_.add(key);
  });
}

WorkQueue::Outcome Scheduler::schedule(const std::string& key) {
  const WorkloadPodView* view = pods_.find(key);
  if (!view || !view->active() || !view->nodeName.empty() || !view->defaultScheduler) {
    return WorkQueue::Outcome::done();
  }
  const std::string ns = view->ns, name = view->name;
  ClientResult current = client_.get(podKind_, ns, name);
  if (!current.ok()) return current.code() == 404 ? WorkQueue::Outcome::done() : WorkQueue::Outcome::retry();
  json pod = std::move(current.object);
  if (!stringAt(pod, "/spec/nodeName").empty()) {
    pods_.upsert(pod);
    return WorkQueue::Outcome::done();
  }
  Labels selector;
  const json& wanted = at(pod, "/spec/nodeSelector");
  if (wanted.is_object()) {
    for (auto it = wanted.begin(); it != wanted.end(); ++it) {
      if (it.value().is_string()) selector[it.key()] = it.value().get<std::string>();
    }
  }
  std::vector<const NodeView*> nodes;
  nodes_.forEach([&](const NodeView& n) { nodes.push_back(&n); });
  NodeChoice choice = pickNode(nodes, selector, podsPerNode_);
  const std::string now = nowRfc3339();
  json condition = {{"type", "PodScheduled"}, {"lastProbeTime", nullptr}, {"lastTransitionTime", now}};
  if (!choice.node) {
    const json* was = nullptr;
    const json& conditions = at(pod, "/status/conditions");
    if (conditions.is_array()) {
      for (const auto& c : conditions) {
        if (stringAt(c, "/type") == "PodScheduled") was = &c;
      }
    }
    if (was && stringAt(*was, "/status") == "False" && stringAt(*was, "/message") == choice.whyNot) {
      return WorkQueue::Outcome::done();
    }
    condition["status"] = "False";
    condition["reason"] = "Unschedulable";
    condition["message"] = choice.whyNot;
    ClientResult r = client_.patch(podKind_, ns, name, PatchType::StrategicMerge,
                                   json{{"status", {{"conditions", json::array({condition})}}}}, "status");
    if (r.ok()) pods_.upsert(r.object);
    return WorkQueue::Outcome::done();  // tried again when a node changes
  }
  pod["spec"]["nodeName"] = *choice.node;
  ClientResult bound = client_.update(podKind_, ns, name, pod);
  if (!bound.ok()) {
    if (bound.code() == 404) return WorkQueue::Outcome::done();
    std::fprintf(stderr, "minik: scheduler: cannot bind pod %s to %s: %s\n", key.c_str(),
                 choice.node->c_str(), bound.error->status.value("message", "").c_str());
    return WorkQueue::Outcome::retry();
  }
  pods_.upsert(bound.object);
  condition["status"] = "True";
  ClientResult r = client_.patch(podKind_, ns, name, PatchType::StrategicMerge,
                                 json{{"status", {{"conditions", json::array({condition})}}}}, "status");
  if (r.ok()) pods_.upsert(r.object);
  return WorkQueue::Outcome::done();
}

}  // namespace minik
