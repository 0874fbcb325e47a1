// runtime-shim/tar_archive.h — reading tar archives as `docker save`,
// `skopeo copy` and image layers write them (ustar, GNU long names, pax
// headers), gzip-compressed or not, and unpacking them into a folder.
//
// Contract:
//  - Unpacking never writes outside the target folder: entries with ".."
//    components are refused, and so is any entry whose parent folder inside
//    the target is a symbolic link (a layer cannot redirect a later write).
//  - Owners, modes, times, links and device nodes are kept (minik runs as
//    root, as containerd does).
//  - Image whiteouts (".wh.NAME", ".wh..wh..opq") are either turned into
//    overlayfs whiteouts (layers stacked by overlayfs) or applied as deletions
//    (layers copied one over the other into one folder).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace minik {

class Sha256;

struct TarEntry {
  std::string path;        // relative, without a leading "./" or "/"
  char type = '0';         // '0' file, '1' hard link, '2' symlink, '3'/'4' devices, '5' dir, '6' fifo
  int64_t size = 0;
  uint32_t mode = 0;
  uint32_t uid = 0, gid = 0;
  int64_t mtime = 0;
  std::string linkTarget;
  uint32_t devMajor = 0, devMinor = 0;
};

class TarReader {
 public:
  // Reads the archive from fd, which the reader does not own.
  explicit TarReader(int fd) : fd_(fd) {}
  // Moves to the next entry; false at the end of the archive or on error
  // (then error() is set).
  bool next(TarEntry* entry);
  // Reads the current entry's data; 0 at its end, -1 on error.
  ssize_t read(char* buffer, size_t size);
  const std::string& error() const { return error_; }
  // Every byte read from now on also goes into hash (for checking a layer
  // against its diff ID); drain() reads what follows the end-of-archive
  // blocks so the hash covers the whole file.
  void hashInto(Sha256* hash) { hash_ = hash; }
  void drain();

 private:
  bool readFully(char* buffer, size_t size);
  bool skip(int64_t size);

  int fd_;
  int64_t remaining_ = 0;  // data left in the current entry
  int64_t padding_ = 0;    // up to the next 512-byte block
  std::string error_;
  Sha256* hash_ = nullptr;
};

// A tar file opened for reading, decompressed through `gzip -dc` when it
// starts with the gzip magic. Closing waits for the decompressor.
class TarFile {
 public:
  explicit TarFile(const std::string& path);
  ~TarFile();
  TarFile(const TarFile&) = delete;
  TarFile& operator=(const TarFile&) = delete;
  int fd() const { return fd_; }
  const std::string& error() const { return error_; }
  // Waits for the decompressor; false when it failed.
  bool finish();

 private:
  int fd_ = -1;
  pid_t decompressor_ = -1;
  std::string error_;
};

enum class Whiteouts { Overlay, Apply };

bool unpackTar(TarReader& reader, const std::string& dir, Whiteouts whiteouts, std::string* error);

}  // namespace minik
