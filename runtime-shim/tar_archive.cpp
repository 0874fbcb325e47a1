#include "runtime-shim/tar_archive.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "runtime-shim/child_reaper.h"
#include "runtime-shim/file_tree.h"
#include "runtime-shim/sha256.h"

namespace minik {

namespace {

int64_t octal(const char* field, size_t size) {
  // GNU base-256 for large values.
  if (static_cast<unsigned char>(field[0]) & 0x80) {
    int64_t value = field[0] & 0x7f;
    for (size_t i = 1; i < size; ++i) value = (value << 8) | static_cast<unsigned char>(field[i]);
    return value;
  }
  int64_t value = 0;
  for (size_t i = 0; i < size && field[i]; ++i) {
    if (field[i] >= '0' && field[i] <= '7') value = value * 8 + (field[i] - '0');
  }
  return value;
}

std::string field(const char* p, size_t size) { return std::string(p, strnlen(p, size)); }

// "path" with "./", "/" and trailing "/" removed; "" when unsafe or empty.
std::string cleanPath(std::string path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    std::string part = path.substr(start, slash - start);
    if (part == "..") return "";
    if (!part.empty() && part != ".") parts.push_back(part);
    start = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

// Applies pax records ("len key=value\n") to the entry.
void applyPax(const std::string& records, TarEntry* entry) {
  size_t at = 0;
  while (at < records.size()) {
    size_t space = records.find(' ', at);
    if (space == std::string::npos) break;
    size_t length = std::strtoul(records.c_str() + at, nullptr, 10);
    if (length == 0 || at + length > records.size()) break;
    std::string record = records.substr(space + 1, at + length - space - 2);
    size_t eq = record.find('=');
    if (eq != std::string::npos) {
      std::string key = record.substr(0, eq), value = record.substr(eq + 1);
      if (key == "path") entry->path = value;
      else if (key == "linkpath") entry->linkTarget = value;
      else if (key == "size") entry->size = std::strtoll(value.c_str(), nullptr, 10);
      else if (key == "uid") entry->uid = static_cast<uint32_t>(std::strtoul(value.c_str(), nullptr, 10));
      else if (key == "gid") entry->gid = static_cast<uint32_t>(std::strtoul(value.c_str(), nullptr, 10));
    }
    at += length;
  }
}

// No component of rel's parent folders (inside root) may be a symlink.
bool parentsAreFolders(const std::string& root, const std::string& rel) {
  size_t slash = 0;
  while ((slash = rel.find('/', slash)) != std::string::npos) {
    struct stat st;
    std::string prefix = root + "/" + rel.substr(0, slash);
    if (lstat(prefix.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) return false;
    } else if (mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
      return false;
    }
    ++slash;
  }
  return true;
}

}  // namespace

bool TarReader::readFully(char* buffer, size_t size) {
  size_t got = 0;
  while (got < size) {
    ssize_t n = ::read(fd_, buffer + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = n == 0 ? "unexpected end of the archive" : std::string("read: ") + std::strerror(errno);
      return false;
    }
    if (hash_) hash_->update(buffer + got, static_cast<size_t>(n));
    got += static_cast<size_t>(n);
  }
  return true;
}

void TarReader::drain() {
  char buffer[8192];
  ssize_t n;
  while ((n = ::read(fd_, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0 && hash_) hash_->update(buffer, static_cast<size_t>(n));
  }
}

bool TarReader::skip(int64_t size) {
  char buffer[8192];
  while (size > 0) {
    size_t n = static_cast<size_t>(std::min<int64_t>(size, sizeof buffer));
    if (!readFully(buffer, n)) return false;
    size -= static_cast<int64_t>(n);
  }
  return true;
}

ssize_t TarReader::read(char* buffer, size_t size) {
  if (remaining_ == 0) return 0;
  size_t n = static_cast<size_t>(std::min<int64_t>(remaining_, static_cast<int64_t>(size)));
  if (!readFully(buffer, n)) return -1;
  remaining_ -= static_cast<int64_t>(n);
  return static_cast<ssize_t>(n);
}

bool TarReader::next(TarEntry* entry) {
  if (!skip(remaining_ + padding_)) return false;
  remaining_ = padding_ = 0;
  std::string longName, longLink, pax;
  bool havePax = false;
  for (;;) {
    char header[512];
    if (!readFully(header, sizeof header)) {
      // Some writers end without the two zero blocks.
      if (error_ == "unexpected end of the archive") error_.clear();
      return false;
    }
    bool zero = true;
    for (char c : header) zero = zero && c == 0;
    if (zero) return false;
    TarEntry e;
    e.type = header[156] ? header[156] : '0';
    e.size = octal(header + 124, 12);
    e.mode = static_cast<uint32_t>(octal(header + 100, 8));
    e.uid = static_cast<uint32_t>(octal(header + 108, 8));
    e.gid = static_cast<uint32_t>(octal(header + 116, 8));
    e.mtime = octal(header + 136, 12);
    e.linkTarget = field(header + 157, 100);
    e.devMajor = static_cast<uint32_t>(octal(header + 329, 8));
    e.devMinor = static_cast<uint32_t>(octal(header + 337, 8));
    std::string name = field(header, 100);
    if (std::memcmp(header + 257, "ustar", 5) == 0) {
      std::string prefix = field(header + 345, 155);
      if (!prefix.empty()) name = prefix + "/" + name;
    }
    e.path = name;
    int64_t padded = (e.size + 511) / 512 * 512;
    if (e.type == 'L' || e.type == 'K' || e.type == 'x' || e.type == 'g') {
      if (e.size > (1 << 20)) {
        error_ = "oversized extended header";
        return false;
      }
      std::string data(static_cast<size_t>(e.size), '\0');
      if (!readFully(&data[0], data.size()) || !skip(padded - e.size)) return false;
      if (e.type == 'L') longName = data.c_str();
      else if (e.type == 'K') longLink = data.c_str();
      else if (e.type == 'x') pax += data, havePax = true;
      continue;  // 'g' (global) carries nothing minik needs
    }
    if (!longName.empty()) e.path = longName;
    if (!longLink.empty()) e.linkTarget = longLink;
    if (havePax) applyPax(pax, &e);
    padded = (e.size + 511) / 512 * 512;
    e.path = cleanPath(e.path);
    if (e.type == '1') e.linkTarget = cleanPath(e.linkTarget);
    remaining_ = (e.type == '0' || e.type == '7') ? e.size : 0;
    padding_ = (e.type == '0' || e.type == '7') ? padded - e.size : padded;
    *entry = std::move(e);
    return true;
  }
}

TarFile::TarFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error_ = path + ": " + std::strerror(errno);
    return;
  }
  unsigned char magic[2] = {0, 0};
  bool gzip = pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  if (!gzip) {
    fd_ = fd;
    return;
  }
  // Resolved before fork(): the child of a threaded process only execs.
  std::string gzipPath;
  for (const char* candidate : {"/usr/bin/gzip", "/bin/gzip", "/usr/local/bin/gzip"}) {
    if (access(candidate, X_OK) == 0) {
      gzipPath = candidate;
      break;
    }
  }
  int pipeFds[2];
  if (pipe2(pipeFds, O_CLOEXEC) != 0) {
    error_ = std::string("pipe: ") + std::strerror(errno);
    close(fd);
    return;
  }
  auto children = lockChildren();
  decompressor_ = fork();
  if (decompressor_ == 0) {
    dup2(fd, 0);
    dup2(pipeFds[1], 1);
    if (!gzipPath.empty()) execl(gzipPath.c_str(), "gzip", "-dc", static_cast<char*>(nullptr));
    _exit(127);
  }
  if (decompressor_ > 0) registerChild(decompressor_);
  children.unlock();
  close(fd);
  close(pipeFds[1]);
  fd_ = pipeFds[0];
  if (decompressor_ < 0) error_ = std::string("fork: ") + std::strerror(errno);
}

bool TarFile::finish() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  if (decompressor_ <= 0) return true;
  int status = 0;
  while (waitpid(decompressor_, &status, 0) < 0 && errno == EINTR) {
  }
  unregisterChild(decompressor_);
  decompressor_ = -1;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
  error_ = WIFEXITED(status) && WEXITSTATUS(status) == 127
               ? "gzip is needed to read compressed layers and was not found"
               : "gzip failed to decompress the layer";
  return false;
}

TarFile::~TarFile() { finish(); }

bool unpackTar(TarReader& reader, const std::string& dir, Whiteouts whiteouts, std::string* error) {
  TarEntry e;
  std::vector<char> buffer(64 * 1024);
  while (reader.next(&e)) {
    if (e.path.empty()) continue;  // the root itself, or a refused path
    if (!parentsAreFolders(dir, e.path)) {
      *error = "refusing " + e.path + ": a parent folder is a link";
      return false;
    }
    std::string target = dir + "/" + e.path;
    size_t slash = e.path.find_last_of('/');
    std::string base = slash == std::string::npos ? e.path : e.path.substr(slash + 1);
    std::string parent = slash == std::string::npos ? dir : dir + "/" + e.path.substr(0, slash);
    if (base.rfind(".wh.", 0) == 0) {
      if (base == ".wh..wh..opq") {
        if (whiteouts == Whiteouts::Overlay) {
          setxattr(parent.c_str(), "trusted.overlay.opaque", "y", 1, 0);
        } else if (DIR* d = opendir(parent.c_str())) {
          std::vector<std::string> names;
          while (dirent* entry = readdir(d)) names.push_back(entry->d_name);
          closedir(d);
          for (auto& n : names) {
            if (n != "." && n != "..") removeTree(parent + "/" + n);
          }
        }
      } else {
        std::string hidden = parent + "/" + base.substr(4);
        removeTree(hidden);
        if (whiteouts == Whiteouts::Overlay && mknod(hidden.c_str(), S_IFCHR | 0, makedev(0, 0)) != 0) {
          *error = "whiteout " + hidden + ": " + std::strerror(errno);
          return false;
        }
      }
      continue;
    }
    struct stat existing;
    bool exists = lstat(target.c_str(), &existing) == 0;
    if (exists && !(e.type == '5' && S_ISDIR(existing.st_mode))) removeTree(target);
    int result = 0;
    mode_t mode = e.mode & 07777;
    switch (e.type) {
      case '5':
        if (mkdir(target.c_str(), mode) != 0 && errno != EEXIST) result = errno;
        break;
      case '2':
        if (symlink(e.linkTarget.c_str(), target.c_str()) != 0) result = errno;
        break;
      case '1':
        if (e.linkTarget.empty() || link((dir + "/" + e.linkTarget).c_str(), target.c_str()) != 0) {
          result = e.linkTarget.empty() ? EINVAL : errno;
        }
        break;
      case '3':
      case '4':
      case '6': {
        mode_t kind = e.type == '3' ? S_IFCHR : e.type == '4' ? S_IFBLK : S_IFIFO;
        if (mknod(target.c_str(), kind | mode, makedev(e.devMajor, e.devMinor)) != 0) result = errno;
        break;
      }
      default: {
        int fd = open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0) {
          result = errno;
          break;
        }
        ssize_t n;
        while ((n = reader.read(buffer.data(), buffer.size())) > 0) {
          if (write(fd, buffer.data(), static_cast<size_t>(n)) != n) {
            result = errno ? errno : EIO;
            break;
          }
        }
        close(fd);
        if (n < 0) {
          *error = reader.error();
          return false;
        }
      }
    }
    if (result != 0) {
      *error = "unpack " + e.path + ": " + std::strerror(result);
      return false;
    }
    if (e.type == '1') continue;
    lchown(target.c_str(), e.uid, e.gid);
    if (e.type != '2') chmod(target.c_str(), mode);
    timespec times[2] = {{e.mtime, 0}, {e.mtime, 0}};
    utimensat(AT_FDCWD, target.c_str(), times, AT_SYMLINK_NOFOLLOW);
  }
  if (!reader.error().empty()) {
    *error = reader.error();
    return false;
  }
  return true;
}

}  // namespace minik
