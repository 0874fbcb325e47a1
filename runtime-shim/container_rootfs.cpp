#include "runtime-shim/container_rootfs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "runtime-shim/file_tree.h"

namespace minik {

namespace {

bool isWhiteout(const struct stat& st) { return S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0); }

bool isOpaque(const std::string& dir) {
  char value[2] = {0, 0};
  return getxattr(dir.c_str(), "trusted.overlay.opaque", value, sizeof value) == 1 && value[0] == 'y';
}

bool copyFile(const std::string& from, const std::string& to, mode_t mode) {
  int in = open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return false;
  int out = open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
  if (out < 0) {
    close(in);
    return false;
  }
  char buffer[65536];
  ssize_t n;
  bool ok = true;
  while ((n = read(in, buffer, sizeof buffer)) > 0) ok = ok && write(out, buffer, static_cast<size_t>(n)) == n;
  close(in);
  close(out);
  return ok && n == 0;
}

// Applies one unpacked layer (with overlayfs whiteouts) over target.
bool applyLayer(const std::string& layer, const std::string& target, std::string* error) {
  DIR* d = opendir(layer.c_str());
  if (!d) {
    *error = "cannot read layer folder " + layer;
    return false;
  }
  bool ok = true;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string from = layer + "/" + name, to = target + "/" + name;
    struct stat st, existing;
    if (lstat(from.c_str(), &st) != 0) continue;
    if (isWhiteout(st)) {
      removeTree(to);
      continue;
    }
    bool exists = lstat(to.c_str(), &existing) == 0;
    if (S_ISDIR(st.st_mode)) {
      if (exists && (!S_ISDIR(existing.st_mode) || isOpaque(from))) removeTree(to), exists = false;
      if (!exists) mkdir(to.c_str(), st.st_mode & 07777);
      ok = applyLayer(from, to, error);
    } else {
      if (exists) removeTree(to);
      if (S_ISLNK(st.st_mode)) {
        char link[4096];
        ssize_t n = readlink(from.c_str(), link, sizeof link - 1);
        ok = n >= 0 && symlink(std::string(link, static_cast<size_t>(n)).c_str(), to.c_str()) == 0;
      } else if (S_ISREG(st.st_mode)) {
        ok = copyFile(from, to, st.st_mode & 07777);
      } else {
        ok = mknod(to.c_str(), st.st_mode, st.st_rdev) == 0;
      }
      if (!ok) *error = "copy " + from + ": " + std::strerror(errno);
    }
    if (ok) {
      lchown(to.c_str(), st.st_uid, st.st_gid);
      if (!S_ISLNK(st.st_mode)) chmod(to.c_str(), st.st_mode & 07777);
    }
    if (!ok) break;
  }
  closedir(d);
  return ok;
}

}  // namespace

bool kernelHasOverlayfs() {
  std::string filesystems = readFile("/proc/filesystems");
  return filesystems.find("\toverlay\n") != std::string::npos;
}

bool prepareRootfs(const std::vector<std::string>& layers, const std::string& dir, std::string* rootfs,
                   std::string* error) {
  releaseRootfs(dir);
  *rootfs = dir + "/rootfs";
  if (!makeDirs(*rootfs, 0755)) {
    *error = "cannot create " + *rootfs;
    return false;
  }
  if (layers.empty()) return true;
  if (kernelHasOverlayfs()) {
    makeDirs(dir + "/upper", 0755);
    makeDirs(dir + "/work", 0700);
    std::string lower;
    // overlayfs lists lower folders top first.
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) lower += (lower.empty() ? "" : ":") + *it;
    std::string options = "lowerdir=" + lower + ",upperdir=" + dir + "/upper,workdir=" + dir + "/work";
    if (mount("overlay", rootfs->c_str(), "overlay", 0, options.c_str()) == 0) return true;
    *error = "mount overlay on " + *rootfs + ": " + std::strerror(errno);
    return false;
  }
  for (const auto& layer : layers) {
    if (!applyLayer(layer, *rootfs, error)) return false;
  }
  return true;
}

void releaseRootfs(const std::string& dir) {
  std::string rootfs = dir + "/rootfs";
  while (umount2(rootfs.c_str(), MNT_DETACH) == 0) {
  }
  removeTree(rootfs);
  removeTree(dir + "/upper");
  removeTree(dir + "/work");
}

}  // namespace minik
