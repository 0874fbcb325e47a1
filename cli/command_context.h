// cli/command_context.h — what every CLI verb shares: the connection flags
// (--kubeconfig, --context, --server, --namespace), the REST client and the
// resource resolver built from them, and the verbs' entry points. Private to
// cli/.
#pragma once

#include <memory>
#include <string>

#include "cli/cli_flags.h"
#include "cli/resource_resolver.h"
#include "cli/rest_client.h"

namespace minik {

struct CommandContext {
  RestClient client;
  std::unique_ptr<ResourceResolver> resolver;
  std::string namespace_;          // -n, else the kubeconfig context's, else "default"
  bool namespaceExplicit = false;  // -n was given
};

void declareConnectionFlags(CliFlags& flags);
// False with error when no server address can be found.
bool openContext(const CliFlags& flags, CommandContext* context, std::string* error);

// Prints "error: message" on stderr.
void printError(const std::string& message);

void declareApplyFlags(CliFlags& flags);
int runApply(const CliFlags& flags, CommandContext& context);

void declareGetFlags(CliFlags& flags);
int runGet(const CliFlags& flags, CommandContext& context);

void declareDeleteFlags(CliFlags& flags);
int runDelete(const CliFlags& flags, CommandContext& context);

void declareDescribeFlags(CliFlags& flags);
int runDescribe(const CliFlags& flags, CommandContext& context);

}  // namespace minik
