// minik — one binary: `minik server`, `minik version`, the CLI verbs.
// Only wiring lives here; every behaviour belongs to a component folder.
#include <cstdio>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "cmd/flags.h"
#include "cmd/node_commands.h"
#include "cmd/server_command.h"
#include "netagent/kernel_features.h"
#include "runtime-shim/container_stdio.h"

namespace {

const char kUsage[] =
    "minik: a small Kubernetes for edge boards, in one binary.\n"
    "\n"
    "Usage:\n"
    "  minik server [flags]     run the API server on its embedded SQLite store\n"
    "%s"
    "  minik check-config       report the kernel features minik needs (IPVS, nftables, netns, ...)\n"
    "  minik cleanup-proxy      remove what the service proxy put in the kernel (server flags apply)\n"
    "%s"
    "  minik version            print the version\n"
    "  minik help [VERB]        show help (also: minik VERB --help)\n";

void printUsage(FILE* out) {
  std::fprintf(out, kUsage, minik::cliUsageLines().c_str(), minik::kNodeCommandsUsage);
}

int usageError(const std::string& message) {
  std::fprintf(stderr, "error: %s\nRun 'minik --help' for usage.\n", message.c_str());
  return 1;
}

bool asksForHelp(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

// One verb; `minik help VERB` is `minik VERB --help`, so every verb's help
// is where the verb is.
int runVerb(const std::string& verb, std::vector<std::string> rest) {
  const bool help = asksForHelp(rest);
  if (verb == "version") {
    if (help) {
      std::printf("Print minik's version.\n\nUsage:\n  minik version\n");
      return 0;
    }
    if (!rest.empty()) return usageError("unexpected argument for version: " + rest[0]);
    std::printf("minik version %s\n", MINIK_VERSION);
    return 0;
  }
  if (minik::isCliVerb(verb)) return minik::runCli(verb, rest);
  if (verb == "image" || verb == "images") return minik::runImageCommand(rest);
  if (verb == "logs") return minik::runLogsCommand(rest);
  if (verb == "check-config") return minik::netagent::runCheckConfig(rest);
  if (verb == "server" || verb == "cleanup-proxy") {
    minik::Flags flags;
    minik::declareServerFlags(flags);
    if (help) {
      if (verb == "server") {
        std::printf("Run the minik server: the API on its embedded SQLite store, the controllers, the service "
                    "proxy, the cluster DNS and this node's pods.\n\nUsage:\n  minik server [flags]\n\nFlags:\n%s",
                    flags.usage().c_str());
      } else {
        std::printf("Remove everything the service proxy put in the kernel, then exit.\n\nUsage:\n  minik "
                    "cleanup-proxy [server flags]\n\nFlags:\n%s",
                    flags.usage().c_str());
      }
      return 0;
    }
    if (verb == "cleanup-proxy") rest.push_back("--cleanup-proxy");
    std::string error;
    if (!flags.parse(rest, &error)) return usageError(error);
    if (!flags.positional().empty()) return usageError("unexpected argument: " + flags.positional()[0]);
    return minik::runServer(flags);
  }
  return usageError("unknown command \"" + verb + "\" for \"minik\"");
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    printUsage(stderr);
    return 1;
  }
  const std::string verb = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (verb == "--version") return runVerb("version", {});
  // Not a user's verb: the holder of a container's terminal or stdin.
  if (verb == "container-stdio-holder" && rest.size() == 1) return minik::runStdioHolder(rest[0]);
  if (verb == "help" || verb == "--help" || verb == "-h") {
    if (rest.empty()) {
      printUsage(stdout);
      return 0;
    }
    return runVerb(rest[0], {"--help"});
  }
  return runVerb(verb, rest);
}
