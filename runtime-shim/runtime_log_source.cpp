#include "runtime-shim/runtime_log_source.h"

#include <sys/stat.h>

#include "runtime-shim/container_logs.h"
#include "runtime-shim/file_tree.h"

namespace minik {

using json = nlohmann::json;

namespace {

std::vector<std::string> containerNames(const json& pod, const char* key) {
  std::vector<std::string> out;
  json list = pod.value("spec", json::object()).value(key, json::array());
  if (list.is_array()) {
    for (const auto& c : list) out.push_back(c.value("name", ""));
  }
  return out;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : " ") + n;
  return out;
}

// Follows one attempt's log file until the attempt is over.
class LogFollower : public PodLogStream {
 public:
  LogFollower(uv_loop_t* loop, std::string path, int64_t offset, std::function<bool()> attemptRunning,
              std::function<bool(std::string_view)> write, std::function<void()> done)
      : path_(std::move(path)), offset_(offset), attemptRunning_(std::move(attemptRunning)),
        write_(std::move(write)), done_(std::move(done)) {
    timer_ = new uv_timer_t;
    uv_timer_init(loop, timer_);
    timer_->data = this;
    uv_timer_start(timer_, [](uv_timer_t* t) { static_cast<LogFollower*>(t->data)->poll(); }, 250, 250);
  }
  ~LogFollower() override { cancel(); }

  void cancel() override {
    if (!timer_) return;
    uv_timer_stop(timer_);
    timer_->data = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(timer_), [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
    timer_ = nullptr;
  }

 private:
  void poll() {
    bool running = attemptRunning_();
    struct stat st;
    if (stat(path_.c_str(), &st) == 0) {
      // Rotation truncated the file: what is left starts at 0.
      if (st.st_size < offset_) offset_ = 0;
      if (st.st_size > offset_) {
        std::string all = readFile(path_);
        if (static_cast<int64_t>(all.size()) > offset_) {
          std::string chunk = all.substr(static_cast<size_t>(offset_));
          offset_ = static_cast<int64_t>(all.size());
          if (!write_(chunk)) {
            cancel();
            return;
          }
        }
      }
    }
    if (!running) {
      auto done = done_;
      cancel();
      done();
    }
  }

  uv_timer_t* timer_ = nullptr;
  std::string path_;
  int64_t offset_;
  std::function<bool()> attemptRunning_;
  std::function<bool(std::string_view)> write_;
  std::function<void()> done_;
};

// A stream already complete: nothing to cancel.
class FinishedStream : public PodLogStream {
 public:
  void cancel() override {}
};

}  // namespace

RuntimeLogSource::RuntimeLogSource(uv_loop_t* loop, const NodeServices& node,
                                   std::function<const PodRecord*(const std::string&)> records)
    : loop_(loop), node_(node), records_(std::move(records)) {}

std::unique_ptr<PodLogStream> RuntimeLogSource::open(const json& pod, const PodLogOptions& options,
                                                     std::function<bool(std::string_view)> write,
                                                     std::function<void()> done, std::optional<ApiError>* error) {
  const json metadata = pod.value("metadata", json::object());
  const std::string podName = metadata.value("name", ""), uid = metadata.value("uid", "");
  std::vector<std::string> containers = containerNames(pod, "containers");
  std::vector<std::string> inits = containerNames(pod, "initContainers");
  std::string name = options.container;
  if (name.empty()) {
    if (containers.size() == 1) {
      name = containers[0];
    } else {
      std::string message = "a container name must be specified for pod " + podName + ", choose one of: [" +
                            joined(containers) + "]";
      if (!inits.empty()) message += " or one of the init containers: [" + joined(inits) + "]";
      *error = badRequest(message);
      return nullptr;
    }
  }
  bool known = std::find(containers.begin(), containers.end(), name) != containers.end() ||
               std::find(inits.begin(), inits.end(), name) != inits.end();
  if (!known) {
    *error = badRequest("container " + name + " is not valid for pod " + podName);
    return nullptr;
  }
  const PodRecord* record = records_(uid);
  const ContainerRecord* c = record ? findContainer(*record, name) : nullptr;
  if (!c || c->attempt < 0) {
    std::string reason = c && !c->waitingReason.empty() ? c->waitingReason : "ContainerCreating";
    *error = badRequest("container \"" + name + "\" in pod \"" + podName + "\" is waiting to start: " + reason);
    return nullptr;
  }
  int attempt = c->attempt;
  if (options.previous) {
    attempt -= 1;
    if (attempt < 0 || (!c->hasLast && c->state != ContainerRecord::State::Terminated)) {
      *error = badRequest("previous terminated container \"" + name + "\" in pod \"" + podName + "\" not found");
      return nullptr;
    }
  }
  ContainerLogs logs(containerLogDir(node_, uid, name), node_.logMaxBytes);
  std::string text = logs.read(attempt, options.tailLines, options.limitBytes);
  if (!text.empty() && !write(text)) return std::make_unique<FinishedStream>();
  bool running = c->state == ContainerRecord::State::Running;
  if (!options.follow || options.previous || !running) {
    done();
    return std::make_unique<FinishedStream>();
  }
  struct stat st;
  int64_t offset = stat(logs.pathOf(attempt).c_str(), &st) == 0 ? st.st_size : 0;
  auto records = records_;
  auto stillRunning = [records, uid, name, attempt]() {
    const PodRecord* r = records(uid);
    const ContainerRecord* now = r ? findContainer(*r, name) : nullptr;
    return now && now->attempt == attempt && now->state == ContainerRecord::State::Running;
  };
  return std::make_unique<LogFollower>(loop_, logs.pathOf(attempt), offset, stillRunning, std::move(write),
                                       std::move(done));
}

}  // namespace minik
