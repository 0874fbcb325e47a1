// minik — one binary: `minik server`, `minik version`, the CLI verbs.
// Only wiring lives here; every behaviour belongs to a component folder.
#include <cstdio>
#include <cstring>
#include <string>

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "version") == 0) {
    std::printf("minik version %s\n", MINIK_VERSION);
    return 0;
  }
  std::fprintf(stderr, "usage: minik server|version\n");
  return 1;
}
