// cli/cli.h — the kubectl-like verbs of the minik binary: apply, get,
// delete, describe. Each is an HTTP client of the API server (it never opens
// the database), found through the kubeconfig as kubectl finds it, and
// prints what kubectl prints for the same request.
//
// Contract: output lines go to stdout, errors to stderr as one line each in
// kubectl's words; the exit code is 0 on success and 1 on any failure
// (unknown verb or flag, bad input, an error from the server, a server that
// cannot be reached).
#pragma once

#include <string>
#include <vector>

namespace minik {

// True for the verbs runCli serves.
bool isCliVerb(const std::string& verb);

// Runs one verb with its arguments (the words after the verb).
int runCli(const std::string& verb, const std::vector<std::string>& args);

// One line per verb ("  minik get ...   summary"), for minik's usage text.
std::string cliUsageLines();

// `minik help VERB`: the verb's usage and flags on stdout; false when the
// verb is not one of the CLI's.
bool printCliHelp(const std::string& verb);

}  // namespace minik
