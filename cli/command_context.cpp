#include "cli/command_context.h"

#include <cstdio>

#include "cli/kubeconfig.h"

namespace minik {

void declareConnectionFlags(CliFlags& flags) {
  flags.value("kubeconfig", 0, "", "Path to the kubeconfig file to use");
  flags.value("context", 0, "", "The name of the kubeconfig context to use");
  flags.value("server", 's', "", "The address of the API server (http://host:port)");
  flags.value("namespace", 'n', "", "If present, the namespace scope for this request");
}

bool openContext(const CliFlags& flags, CommandContext* context, std::string* error) {
  KubeconfigChoice choice{flags.get("kubeconfig"), flags.get("context"), flags.get("server")};
  ClusterAddress address;
  if (!loadClusterAddress(choice, &address, error)) return false;
  if (!context->client.open(address.server, address.path, error)) return false;
  context->resolver = std::make_unique<ResourceResolver>(context->client);
  context->namespaceExplicit = !flags.get("namespace").empty();
  context->namespace_ = context->namespaceExplicit ? flags.get("namespace") : address.namespace_;
  return true;
}

void printError(const std::string& message) { std::fprintf(stderr, "error: %s\n", message.c_str()); }

}  // namespace minik
