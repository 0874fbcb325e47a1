#include "cli/cli.h"

#include <cstdio>

#include "cli/command_context.h"

namespace minik {

namespace {

struct Verb {
  const char* name;
  const char* synopsis;  // after "minik "
  const char* summary;
  const char* help;      // the long description
  void (*declare)(CliFlags&);
  int (*run)(const CliFlags&, CommandContext&);
};

const Verb kVerbs[] = {
    {"apply", "apply -f FILENAME [-R] [-n NS]", "create or update objects from manifests",
     "Apply a configuration to objects by file name or stdin, as kubectl apply does: objects\n"
     "that do not exist are created, the others patched with a three-way merge of the last\n"
     "applied configuration, the new manifest and the live object. JSON and YAML, several\n"
     "documents per file, kind: List and directories are accepted. Namespaces are applied\n"
     "before the objects that live in them.\n\n"
     "Examples:\n  minik apply -f app.yaml\n  minik apply -f manifests/ -R\n  cat app.yaml | minik apply -f -\n",
     declareApplyFlags, runApply},
    {"get", "get TYPE[,TYPE...] [NAME...] [flags]", "display one or many objects",
     "Display one or many objects, as kubectl get does: a table of the columns the server\n"
     "prints, or the objects as YAML, JSON, names or a jsonpath template.\n\n"
     "Examples:\n  minik get pods -A\n  minik get all -n dev\n  minik get deploy enterprise -n dev -o yaml\n"
     "  minik get pods -n dev -o jsonpath='{.items[*].metadata.name}'\n  minik get pods -n dev -w\n",
     declareGetFlags, runGet},
    {"delete", "delete (TYPE NAME... | TYPE -l SELECTOR | -f FILENAME) [flags]", "delete objects",
     "Delete objects by type and name, by label selector or by the manifests that describe\n"
     "them, as kubectl delete does. By default it waits until the objects are gone.\n\n"
     "Examples:\n  minik delete pod jump -n dev\n  minik delete pods -l app=enterprise -n dev\n"
     "  minik delete -f app.yaml\n",
     declareDeleteFlags, runDelete},
    {"describe", "describe TYPE [NAME...] [flags]", "show details of objects, with their events",
     "Show a readable summary of objects and the events about them, as kubectl describe does.\n\n"
     "Examples:\n  minik describe svc ent -n dev\n  minik describe pods -n dev -l app=enterprise\n",
     declareDescribeFlags, runDescribe},
};

const Verb* findVerb(const std::string& name) {
  for (const Verb& v : kVerbs) {
    if (name == v.name) return &v;
  }
  return nullptr;
}

CliFlags flagsFor(const Verb& verb) {
  CliFlags flags;
  verb.declare(flags);
  declareConnectionFlags(flags);
  flags.boolean("help", 'h', false, "Help for " + std::string(verb.name));
  return flags;
}

}  // namespace

bool isCliVerb(const std::string& verb) { return findVerb(verb) != nullptr; }

std::string cliUsageLines() {
  std::string out;
  for (const Verb& v : kVerbs) {
    std::string left = std::string("  minik ") + v.name;
    left.resize(27, ' ');
    out += left + v.summary + "\n";
  }
  return out;
}

bool printCliHelp(const std::string& name) {
  const Verb* verb = findVerb(name);
  if (!verb) return false;
  std::printf("%s\nUsage:\n  minik %s\n\nFlags:\n%s", verb->help, verb->synopsis, flagsFor(*verb).usage().c_str());
  return true;
}

int runCli(const std::string& name, const std::vector<std::string>& args) {
  const Verb* verb = findVerb(name);
  if (!verb) {
    std::fprintf(stderr, "error: unknown command \"%s\" for \"minik\"\nRun 'minik --help' for usage.\n",
                 name.c_str());
    return 1;
  }
  CliFlags flags = flagsFor(*verb);
  std::string error;
  if (!flags.parse(args, &error)) {
    std::fprintf(stderr, "error: %s\nSee 'minik %s --help' for usage.\n", error.c_str(), verb->name);
    return 1;
  }
  if (flags.on("help")) {
    printCliHelp(name);
    return 0;
  }
  CommandContext context;
  if (!openContext(flags, &context, &error)) {
    printError(error);
    return 1;
  }
  try {
    return verb->run(flags, context);
  } catch (const ServerUnreachable& e) {
    std::fflush(stdout);
    printError(e.what());
    return 1;
  }
}

}  // namespace minik
