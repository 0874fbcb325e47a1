// `minik logs POD`: GET /api/v1/namespaces/NS/pods/POD/log, printed as it
// arrives (follow keeps the stream open), with kubectl's flags.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/cli_flags.h"
#include "cli/http_client.h"
#include "cli/kubeconfig.h"
#include "cmd/node_commands.h"

namespace minik {

namespace {

std::string queryEscape(const std::string& text) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else out += std::string("%") + hex[c >> 4] + hex[c & 15];
  }
  return out;
}

}  // namespace

int runLogsCommand(const std::vector<std::string>& args) {
  CliFlags flags;
  flags.value("kubeconfig", 0, "", "path to the kubeconfig file");
  flags.value("context", 0, "", "the kubeconfig context to use");
  flags.value("server", 's', "", "the address of the API server");
  flags.value("namespace", 'n', "", "the namespace of the pod");
  flags.value("container", 'c', "", "print the logs of this container");
  flags.boolean("follow", 'f', false, "keep printing new output");
  flags.boolean("previous", 'p', false, "the previous (terminated) attempt of the container");
  flags.value("tail", 0, "-1", "lines of recent output to show (-1: all)");
  flags.value("limit-bytes", 0, "0", "at most this many bytes");
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") {
      std::printf("Print the logs of a container in a pod, as kubectl logs does.\n\nUsage:\n  minik logs POD "
                  "[flags]\n\nFlags:\n%s",
                  flags.usage().c_str());
      return 0;
    }
  }
  std::string error;
  if (!flags.parse(args, &error)) {
    std::fprintf(stderr, "error: %s\n", error.c_str());
    return 1;
  }
  if (flags.positional().size() != 1) {
    std::fprintf(stderr, "error: expected 'logs POD [-c CONTAINER]'.\nPOD is a required argument for the logs command\n"
                         "\nUsage:\n  minik logs POD [flags]\n\nFlags:\n%s",
                 flags.usage().c_str());
    return 1;
  }
  std::string pod = flags.positional()[0];
  if (pod.rfind("pod/", 0) == 0) pod = pod.substr(4);
  if (pod.rfind("pods/", 0) == 0) pod = pod.substr(5);
  ClusterAddress address;
  if (!loadClusterAddress({flags.get("kubeconfig"), flags.get("context"), flags.get("server")}, &address, &error)) {
    std::fprintf(stderr, "error: %s\n", error.c_str());
    return 1;
  }
  HttpClient http;
  if (!http.setServer(address.server, &error)) {
    std::fprintf(stderr, "error: %s\n", error.c_str());
    return 1;
  }
  std::string ns = flags.get("namespace").empty() ? address.namespace_ : flags.get("namespace");
  std::string target = "/api/v1/namespaces/" + queryEscape(ns) + "/pods/" + queryEscape(pod) + "/log?";
  if (!flags.get("container").empty()) target += "container=" + queryEscape(flags.get("container")) + "&";
  if (flags.on("follow")) target += "follow=true&";
  if (flags.on("previous")) target += "previous=true&";
  if (flags.get("tail") != "-1") target += "tailLines=" + queryEscape(flags.get("tail")) + "&";
  if (flags.get("limit-bytes") != "0") target += "limitBytes=" + queryEscape(flags.get("limit-bytes")) + "&";
  target.pop_back();
  HttpResponse head;
  std::string errorBody;
  bool ok = http.stream(
      "GET", target, {{"Accept", "*/*"}},
      [&](const std::string& chunk) {
        if (head.status >= 200 && head.status < 300) {
          std::fwrite(chunk.data(), 1, chunk.size(), stdout);
          std::fflush(stdout);
        } else {
          errorBody += chunk;
        }
        return true;
      },
      &head, &error);
  if (!ok) {
    std::fprintf(stderr, "error: the server at %s could not be reached: %s\n", address.server.c_str(), error.c_str());
    return 1;
  }
  if (head.status < 200 || head.status >= 300) {
    auto status = nlohmann::json::parse(errorBody, nullptr, false);
    std::string message = status.is_object() ? status.value("message", errorBody) : errorBody;
    std::fprintf(stderr, "error: %s\n", message.c_str());
    return 1;
  }
  return 0;
}

}  // namespace minik
