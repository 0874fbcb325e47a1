// minik — one binary: `minik server`, `minik version`, the CLI verbs.
// Only wiring lives here; every behaviour belongs to a component folder.
#include <cstdio>
#include <string>
#include <vector>

#include "cmd/flags.h"
#include "cmd/server_command.h"

namespace {

const char kUsage[] =
    "minik: a small Kubernetes for edge boards, in one binary.\n"
    "\n"
    "Usage:\n"
    "  minik server [flags]   run the API server on its embedded SQLite store\n"
    "  minik version          print the version\n"
    "  minik help [VERB]      show help\n";

int usageError(const std::string& message) {
  std::fprintf(stderr, "error: %s\nRun 'minik --help' for usage.\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::fputs(kUsage, stderr);
    return 1;
  }
  const std::string verb = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (verb == "version" || verb == "--version") {
    std::printf("minik version %s\n", MINIK_VERSION);
    return 0;
  }
  if (verb == "help" || verb == "--help" || verb == "-h") {
    if (!rest.empty() && rest[0] == "server") {
      minik::Flags flags;
      minik::declareServerFlags(flags);
      std::printf("Run the minik API server.\n\nUsage:\n  minik server [flags]\n\nFlags:\n%s",
                  flags.usage().c_str());
      return 0;
    }
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (verb == "server") {
    minik::Flags flags;
    minik::declareServerFlags(flags);
    std::string error;
    if (!flags.parse(rest, &error)) return usageError(error);
    if (!flags.positional().empty()) return usageError("unexpected argument: " + flags.positional()[0]);
    return minik::runServer(flags);
  }
  return usageError("unknown command \"" + verb + "\" for \"minik\"");
}
