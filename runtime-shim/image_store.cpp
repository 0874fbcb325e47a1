#include "runtime-shim/image_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "runtime-shim/file_tree.h"
#include "runtime-shim/image_reference.h"
#include "runtime-shim/sha256.h"
#include "runtime-shim/tar_archive.h"

namespace minik {

using json = nlohmann::json;

namespace {

// Holds the store's lock file for the life of the object.
class StoreLock {
 public:
  StoreLock(const std::string& root, int operation) {
    fd_ = open((root + "/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ >= 0) {
      while (flock(fd_, operation) != 0 && errno == EINTR) {
      }
    }
  }
  ~StoreLock() {
    if (fd_ >= 0) close(fd_);
  }

 private:
  int fd_ = -1;
};

std::string fileDigest(const std::string& path, int64_t* size) {
  Sha256 hash;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  char buffer[65536];
  ssize_t n;
  *size = 0;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) {
    hash.update(buffer, static_cast<size_t>(n));
    *size += n;
  }
  close(fd);
  return n < 0 ? "" : hash.hex();
}

// The GOARCH name of this machine, for picking from multi-arch indexes.
std::string goArch() {
  utsname u;
  uname(&u);
  std::string m = u.machine;
  if (m == "x86_64") return "amd64";
  if (m == "aarch64") return "arm64";
  if (m.rfind("arm", 0) == 0) return "arm";
  return m;
}

std::string blobPath(const std::string& dir, const std::string& digest) {
  size_t colon = digest.find(':');
  if (colon == std::string::npos) return "";
  return dir + "/blobs/" + digest.substr(0, colon) + "/" + digest.substr(colon + 1);
}

bool safeRelative(const std::string& rel) {
  return !rel.empty() && rel[0] != '/' && rel.find("..") == std::string::npos;
}

struct FoundImage {
  std::vector<std::string> names;
  std::string configPath;
  std::vector<std::string> layerPaths;
};

bool readDockerArchive(const std::string& dir, std::vector<FoundImage>* out, std::string* error) {
  json manifest = readJsonFile(dir + "/manifest.json");
  if (!manifest.is_array()) {
    *error = "manifest.json is not a list";
    return false;
  }
  for (const auto& m : manifest) {
    FoundImage image;
    std::string config = m.value("Config", "");
    if (!safeRelative(config)) {
      *error = "manifest.json names no image config";
      return false;
    }
    image.configPath = dir + "/" + config;
    if (m.contains("RepoTags") && m["RepoTags"].is_array()) {
      for (const auto& t : m["RepoTags"]) {
        if (t.is_string()) image.names.push_back(t.get<std::string>());
      }
    }
    for (const auto& l : m.value("Layers", json::array())) {
      if (!l.is_string() || !safeRelative(l.get<std::string>())) {
        *error = "manifest.json has a bad layer path";
        return false;
      }
      image.layerPaths.push_back(dir + "/" + l.get<std::string>());
    }
    out->push_back(std::move(image));
  }
  return true;
}

bool readOciLayout(const std::string& dir, std::vector<FoundImage>* out, std::string* error) {
  json index = readJsonFile(dir + "/index.json");
  if (!index.is_object() || !index.contains("manifests")) {
    *error = "index.json lists no manifests";
    return false;
  }
  for (json descriptor : index["manifests"]) {
    std::vector<std::string> names;
    json annotations = descriptor.value("annotations", json::object());
    if (annotations.contains("io.containerd.image.name")) {
      names.push_back(annotations["io.containerd.image.name"].get<std::string>());
    } else if (annotations.contains("org.opencontainers.image.ref.name")) {
      names.push_back(annotations["org.opencontainers.image.ref.name"].get<std::string>());
    }
    json manifest = readJsonFile(blobPath(dir, descriptor.value("digest", "")));
    // A multi-platform index: take this machine's linux image.
    for (int depth = 0; depth < 2 && manifest.is_object() && manifest.contains("manifests"); ++depth) {
      json chosen;
      for (const auto& d : manifest["manifests"]) {
        json platform = d.value("platform", json::object());
        if (platform.value("os", "linux") == "linux" && platform.value("architecture", goArch()) == goArch()) {
          chosen = d;
          break;
        }
      }
      if (chosen.is_null()) {
        *error = "the image index has no linux/" + goArch() + " image";
        return false;
      }
      manifest = readJsonFile(blobPath(dir, chosen.value("digest", "")));
    }
    if (!manifest.is_object() || !manifest.contains("config")) {
      *error = "manifest " + descriptor.value("digest", "") + " is missing from the layout";
      return false;
    }
    FoundImage image;
    image.names = names;
    image.configPath = blobPath(dir, manifest["config"].value("digest", ""));
    for (const auto& l : manifest.value("layers", json::array())) {
      image.layerPaths.push_back(blobPath(dir, l.value("digest", "")));
    }
    out->push_back(std::move(image));
  }
  return true;
}

bool layerInUse(const std::string& path) {
  std::ifstream mounts("/proc/self/mounts");
  std::string line;
  while (std::getline(mounts, line)) {
    if (line.find(path + ":") != std::string::npos || line.find(path + ",") != std::string::npos ||
        line.find(path + " ") != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

ImageStore::ImageStore(std::string root) : root_(std::move(root)) {
  makeDirs(root_ + "/layers");
  makeDirs(root_ + "/tmp");
}

std::vector<ImageRecord> ImageStore::load() const {
  std::vector<ImageRecord> out;
  json doc = readJsonFile(root_ + "/images.json");
  if (!doc.is_object()) return out;
  for (const auto& i : doc.value("images", json::array())) {
    ImageRecord r;
    r.name = i.value("name", "");
    r.id = i.value("id", "");
    r.config = i.value("config", json::object());
    r.size = i.value("size", int64_t{0});
    for (const auto& l : i.value("layers", json::array())) r.layers.push_back(l.get<std::string>());
    out.push_back(std::move(r));
  }
  return out;
}

bool ImageStore::save(const std::vector<ImageRecord>& images, std::string* error) const {
  json list = json::array();
  for (const auto& r : images) {
    list.push_back({{"name", r.name}, {"id", r.id}, {"config", r.config}, {"layers", r.layers}, {"size", r.size}});
  }
  return writeFileAtomically(root_ + "/images.json", json{{"images", list}}.dump(1) + "\n", error);
}

bool ImageStore::unpackLayer(const std::string& blob, std::string* digest, int64_t* size, std::string* error) {
  // Known by its diff ID (the digest of the uncompressed tar, from the image
  // config) when given, so the same layer shipped gzip-compressed (OCI) and
  // plain (docker-archive) is unpacked once; by the blob's digest otherwise.
  std::string blobDigest = fileDigest(blob, size);
  if (blobDigest.empty()) {
    *error = "cannot read layer " + blob;
    return false;
  }
  if (digest->empty()) *digest = blobDigest;
  std::string final = layerPath(*digest);
  struct stat st;
  if (stat(final.c_str(), &st) == 0) return true;
  std::string staging = root_ + "/tmp/layer-" + *digest;
  removeTree(staging);
  makeDirs(staging);
  TarFile file(blob);
  if (!file.error().empty()) {
    *error = file.error();
    return false;
  }
  TarReader reader(file.fd());
  Sha256 uncompressed;
  reader.hashInto(&uncompressed);
  bool ok = unpackTar(reader, staging, Whiteouts::Overlay, error);
  reader.drain();
  if (ok && *digest != blobDigest && uncompressed.hex() != *digest) {
    *error = "layer " + blob + " does not match its diff ID sha256:" + *digest;
    ok = false;
  }
  if (!file.finish() && ok) {
    *error = file.error();
    ok = false;
  }
  if (!ok || rename(staging.c_str(), final.c_str()) != 0) {
    if (ok) *error = "cannot move layer into place: " + std::string(std::strerror(errno));
    removeTree(staging);
    return false;
  }
  return true;
}

bool ImageStore::importArchive(const std::string& path, std::vector<std::string>* names, std::string* error) {
  StoreLock lock(root_, LOCK_EX);
  std::string staging = root_ + "/tmp/import-" + std::to_string(getpid());
  removeTree(staging);
  makeDirs(staging);
  struct Cleanup {
    std::string dir;
    ~Cleanup() { removeTree(dir); }
  } cleanup{staging};
  {
    TarFile file(path);
    if (!file.error().empty()) {
      *error = file.error();
      return false;
    }
    TarReader reader(file.fd());
    if (!unpackTar(reader, staging, Whiteouts::Apply, error)) {
      *error = path + ": " + *error;
      return false;
    }
    if (!file.finish()) {
      *error = path + ": " + file.error();
      return false;
    }
  }
  std::vector<FoundImage> found;
  struct stat st;
  bool ok;
  if (stat((staging + "/manifest.json").c_str(), &st) == 0) {
    ok = readDockerArchive(staging, &found, error);
  } else if (stat((staging + "/index.json").c_str(), &st) == 0) {
    ok = readOciLayout(staging, &found, error);
  } else {
    *error = "neither manifest.json (docker-archive) nor index.json (OCI layout) found";
    ok = false;
  }
  if (!ok) {
    *error = path + ": " + *error;
    return false;
  }
  std::vector<ImageRecord> images = load();
  for (const auto& image : found) {
    ImageRecord record;
    int64_t configSize = 0;
    std::string configDigest = fileDigest(image.configPath, &configSize);
    json config = readJsonFile(image.configPath);
    if (configDigest.empty() || !config.is_object()) {
      *error = path + ": the image config is missing or not JSON";
      return false;
    }
    record.id = "sha256:" + configDigest;
    record.config = config.contains("config") && config["config"].is_object() ? config["config"] : json::object();
    json diffIds = config.contains("rootfs") && config["rootfs"].is_object()
                       ? config["rootfs"].value("diff_ids", json::array())
                       : json::array();
    for (size_t i = 0; i < image.layerPaths.size(); ++i) {
      const std::string& layer = image.layerPaths[i];
      std::string digest;
      if (diffIds.is_array() && diffIds.size() == image.layerPaths.size() && diffIds[i].is_string()) {
        std::string id = diffIds[i].get<std::string>();
        if (id.rfind("sha256:", 0) == 0 && id.size() == 71 &&
            id.find_first_not_of("0123456789abcdef", 7) == std::string::npos) {
          digest = id.substr(7);
        }
      }
      int64_t size = 0;
      if (!unpackLayer(layer, &digest, &size, error)) {
        *error = path + ": " + *error;
        return false;
      }
      record.layers.push_back(digest);
      record.size += size;
    }
    std::vector<std::string> refs;
    for (const auto& n : image.names) {
      std::string normalized = normalizeImageReference(n);
      if (!normalized.empty()) refs.push_back(normalized);
    }
    if (refs.empty()) refs.push_back(record.id);  // untagged: known by its id
    for (const auto& ref : refs) {
      record.name = ref;
      bool replaced = false;
      for (auto& existing : images) {
        if (existing.name == ref) {
          existing = record;
          replaced = true;
        }
      }
      if (!replaced) images.push_back(record);
      names->push_back(ref);
    }
  }
  if (!save(images, error)) return false;
  collectLayers(images);
  return true;
}

void ImageStore::importFolder(const std::string& dir, const std::function<void(const std::string&)>& log) {
  DIR* d = opendir(dir.c_str());
  if (!d) return;
  std::vector<std::string> files;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    auto endsWith = [&](const std::string& s) {
      return name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
    };
    if (endsWith(".tar") || endsWith(".tar.gz") || endsWith(".tgz")) files.push_back(dir + "/" + name);
  }
  closedir(d);
  json seen = readJsonFile(root_ + "/imported.json");
  if (!seen.is_object()) seen = json::object();
  for (const auto& file : files) {
    struct stat st;
    if (stat(file.c_str(), &st) != 0) continue;
    std::string stamp = std::to_string(st.st_size) + ":" + std::to_string(st.st_mtime);
    if (seen.value(file, "") == stamp) continue;
    std::vector<std::string> names;
    std::string error;
    if (importArchive(file, &names, &error)) {
      std::string joined;
      for (const auto& n : names) joined += (joined.empty() ? "" : ", ") + n;
      log("imported " + file + ": " + joined);
      seen[file] = stamp;
    } else {
      log("cannot import " + file + ": " + error);
    }
  }
  std::string error;
  writeFileAtomically(root_ + "/imported.json", seen.dump() + "\n", &error);
}

std::vector<ImageRecord> ImageStore::list() const {
  StoreLock lock(root_, LOCK_SH);
  return load();
}

std::optional<ImageRecord> ImageStore::find(const std::string& reference) const {
  std::vector<ImageRecord> images = list();
  std::string normalized = normalizeImageReference(reference);
  for (const auto& r : images) {
    if (r.name == normalized || r.name == reference) return r;
  }
  std::optional<ImageRecord> byId;
  std::string id = reference.rfind("sha256:", 0) == 0 ? reference : "sha256:" + reference;
  if (id.size() < 7 + 6) return std::nullopt;  // too short a prefix to mean one image
  for (const auto& r : images) {
    if (r.id.rfind(id, 0) == 0) {
      if (byId && byId->id != r.id) return std::nullopt;
      byId = r;
    }
  }
  return byId;
}

bool ImageStore::remove(const std::string& reference, std::string* error) {
  std::optional<ImageRecord> target = find(reference);
  if (!target) {
    *error = "image \"" + reference + "\" not found";
    return false;
  }
  StoreLock lock(root_, LOCK_EX);
  std::vector<ImageRecord> images = load(), kept;
  bool byName = target->name == normalizeImageReference(reference) || target->name == reference;
  for (auto& r : images) {
    bool drop = byName ? r.name == target->name : r.id == target->id;
    if (!drop) kept.push_back(r);
  }
  std::set<std::string> stillUsed;
  for (const auto& r : kept) stillUsed.insert(r.layers.begin(), r.layers.end());
  for (const auto& layer : target->layers) {
    if (!stillUsed.count(layer) && layerInUse(layerPath(layer))) {
      *error = "image \"" + reference + "\" is in use by a container on this node";
      return false;
    }
  }
  if (!save(kept, error)) return false;
  collectLayers(kept);
  return true;
}

void ImageStore::collectLayers(const std::vector<ImageRecord>& images) {
  std::set<std::string> used;
  for (const auto& r : images) used.insert(r.layers.begin(), r.layers.end());
  DIR* d = opendir((root_ + "/layers").c_str());
  if (!d) return;
  std::vector<std::string> unused;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != ".." && !used.count(name)) unused.push_back(name);
  }
  closedir(d);
  for (const auto& layer : unused) {
    if (!layerInUse(layerPath(layer))) removeTree(layerPath(layer));
  }
}

}  // namespace minik
