// runtime-shim/image_store.h — the node's local images: imported from
// tarballs as `docker save` (docker-archive) or `skopeo copy oci-archive:`
// (OCI image layout) write them, listed, removed. Pulling from registries is
// a later issue.
//
// On disk, under root (<data-dir>/images):
//   images.json        the images: name, id (config digest), the runtime part
//                      of the image config, layers bottom first, size;
//   layers/<sha256>/   each layer unpacked once, named by its diff ID (the
//                      digest of its uncompressed tar), shared by every image
//                      that has it, compressed or not (overlayfs whiteouts
//                      inside);
//   lock               flock(2): the CLI and the server may both use the store.
//
// Contract:
//  - An import is all or nothing for each image, and re-importing is cheap
//    (known layers are not unpacked again).
//  - A layer is deleted only when no image refers to it and no mounted
//    container root uses it.
//  - Methods are thread-safe (the lock file also orders threads).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace minik {

struct ImageRecord {
  std::string name;            // normalized reference
  std::string id;              // "sha256:<config digest>"
  nlohmann::json config;       // the image config's "config": Env, Entrypoint, Cmd, WorkingDir, User
  std::vector<std::string> layers;  // diff IDs (hex), bottom first
  int64_t size = 0;            // bytes of the layer blobs
};

class ImageStore {
 public:
  explicit ImageStore(std::string root);

  // Imports every image in the tarball; names gets their references.
  bool importArchive(const std::string& path, std::vector<std::string>* names, std::string* error);
  // Imports the tarballs (*.tar, *.tar.gz, *.tgz) of a folder that changed
  // since they were last imported (like k3s's agent/images). log gets one
  // line per file.
  void importFolder(const std::string& dir, const std::function<void(const std::string&)>& log);

  std::vector<ImageRecord> list() const;
  // By reference (normalized first), or by id or a unique id prefix.
  std::optional<ImageRecord> find(const std::string& reference) const;
  // Removes the image; false with error when unknown or in use.
  bool remove(const std::string& reference, std::string* error);

  std::string layerPath(const std::string& digest) const { return root_ + "/layers/" + digest; }
  const std::string& root() const { return root_; }

 private:
  std::vector<ImageRecord> load() const;
  bool save(const std::vector<ImageRecord>& images, std::string* error) const;
  bool unpackLayer(const std::string& blob, std::string* digest, int64_t* size, std::string* error);
  void collectLayers(const std::vector<ImageRecord>& images);

  std::string root_;
};

}  // namespace minik
