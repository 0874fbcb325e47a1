// `minik image import|ls|rm`: the image store of the server running on this
// node (runtime-shim/local_server.h), without going through it.
#include <cstdio>

#include "cmd/flags.h"
#include "cmd/node_commands.h"
#include "runtime-shim/image_reference.h"
#include "runtime-shim/image_store.h"
#include "runtime-shim/local_server.h"

namespace minik {

namespace {

std::string humanSize(int64_t bytes) {
  char text[32];
  if (bytes >= 1000 * 1000) std::snprintf(text, sizeof text, "%.1fMB", bytes / 1e6);
  else if (bytes >= 1000) std::snprintf(text, sizeof text, "%.1fkB", bytes / 1e3);
  else std::snprintf(text, sizeof text, "%lldB", static_cast<long long>(bytes));
  return text;
}

}  // namespace

const char kNodeCommandsUsage[] =
    "  minik image import FILE  import docker-archive or OCI tarballs into this node's image store\n"
    "  minik image ls|rm        list or remove the node's images\n"
    "  minik logs POD           print a container's logs (-c, -f, --tail, -p, -n)\n";

namespace {

void declareImageFlags(Flags& flags) {
  flags.value("data-dir", "",
              "the server's data folder, whose images/ is the store (default: that of the minik server running "
              "on this node, else " + std::string(kDefaultDataDir) + ")");
}

void printImageUsage(FILE* out, const Flags& flags) {
  std::fprintf(out,
               "Import, list or remove the images this node's pods run from: the store of the minik server "
               "running on this node (found by its command line, in this network namespace), or of --data-dir.\n\n"
               "Usage:\n  minik image import FILE.tar...  docker-archive or OCI layout tarballs\n"
               "  minik image ls\n  minik image rm IMAGE...\n\nFlags:\n%s",
               flags.usage().c_str());
}

// The explicit --data-dir, else the running server's, else the default;
// says on stderr which and why.
std::string chooseDataDir(const Flags& flags) {
  if (!flags.get("data-dir").empty()) return flags.get("data-dir");
  LocalServer server = findLocalServer();
  if (server.pid != 0) {
    std::fprintf(stderr, "using the image store of the minik server running on this node (pid %d): %s/images\n",
                 static_cast<int>(server.pid), server.dataDir.c_str());
    return server.dataDir;
  }
  std::fprintf(stderr, "no minik server runs on this node: using the image store in %s/images\n", kDefaultDataDir);
  return kDefaultDataDir;
}

}  // namespace

int runImageCommand(const std::vector<std::string>& args) {
  Flags flags;
  declareImageFlags(flags);
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") {
      printImageUsage(stdout, flags);
      return 0;
    }
  }
  std::string error;
  if (!flags.parse(args, &error)) {
    std::fprintf(stderr, "error: %s\n", error.c_str());
    return 1;
  }
  const std::vector<std::string>& words = flags.positional();
  if (words.empty() || (words[0] != "import" && words[0] != "ls" && words[0] != "list" && words[0] != "rm")) {
    printImageUsage(stderr, flags);
    return 1;
  }
  ImageStore store(chooseDataDir(flags) + "/images");
  int status = 0;
  if (words[0] == "import") {
    if (words.size() < 2) {
      std::fprintf(stderr, "error: minik image import needs at least one FILE\n");
      return 1;
    }
    for (size_t i = 1; i < words.size(); ++i) {
      std::vector<std::string> names;
      if (!store.importArchive(words[i], &names, &error)) {
        std::fprintf(stderr, "error: %s\n", error.c_str());
        status = 1;
        continue;
      }
      for (const auto& n : names) std::printf("unpacked image: %s\n", n.c_str());
    }
    return status;
  }
  if (words[0] == "ls" || words[0] == "list") {
    std::printf("%-50s %-16s %-15s %s\n", "IMAGE", "TAG", "IMAGE ID", "SIZE");
    for (const auto& image : store.list()) {
      std::string repository, tag;
      splitImageReference(image.name, &repository, &tag);
      std::string id = image.id.substr(image.id.find(':') + 1, 13);
      std::printf("%-50s %-16s %-15s %s\n", repository.c_str(), tag.c_str(), id.c_str(), humanSize(image.size).c_str());
    }
    return 0;
  }
  if (words.size() < 2) {
    std::fprintf(stderr, "error: minik image rm needs at least one IMAGE\n");
    return 1;
  }
  for (size_t i = 1; i < words.size(); ++i) {
    if (store.remove(words[i], &error)) {
      std::printf("Deleted: %s\n", words[i].c_str());
    } else {
      std::fprintf(stderr, "error: %s\n", error.c_str());
      status = 1;
    }
  }
  return status;
}

}  // namespace minik
