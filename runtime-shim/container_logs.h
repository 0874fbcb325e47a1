// runtime-shim/container_logs.h — where a container's output goes and how
// it is read back: one file per attempt (<dir>/<attempt>.log), written by
// the container itself (it is its stdout and stderr), kept bounded by
// copy-and-truncate rotation into <attempt>.log.1 (the container's file
// offset follows the truncation because the file is opened O_APPEND).
// The current attempt and the previous one are kept (kubectl logs
// --previous); older attempts are removed.
#pragma once

#include <cstdint>
#include <string>

namespace minik {

class ContainerLogs {
 public:
  // dir: the container's log folder; maxBytes: size that triggers rotation.
  ContainerLogs(std::string dir, int64_t maxBytes);

  std::string pathOf(int attempt) const;
  // Before starting attempt: removes attempts older than attempt - 1.
  void prepare(int attempt);
  // Rotates the attempt's file when it has grown past maxBytes.
  void rotateIfLarge(int attempt);
  // The attempt's output (rotated part first), its last tailLines lines
  // when tailLines >= 0, its last limitBytes bytes when limitBytes > 0.
  std::string read(int attempt, int64_t tailLines, int64_t limitBytes) const;

 private:
  std::string dir_;
  int64_t maxBytes_;
};

// The suffix of text holding its last n lines (all of it when n < 0).
std::string lastLines(const std::string& text, int64_t n);

}  // namespace minik
