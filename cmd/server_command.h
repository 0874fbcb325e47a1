// cmd/server_command.h — `minik server`.
#pragma once

namespace minik {

class Flags;
void declareServerFlags(Flags& flags);
// Runs until SIGINT/SIGTERM; returns the process exit code.
int runServer(const Flags& flags);

}  // namespace minik
