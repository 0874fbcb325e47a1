// runtime-shim/container_rootfs.h — a container's root filesystem made from
// the image's shared, read-only layers: an overlayfs mount (layers as lower
// folders, a private upper folder) where the kernel has overlayfs, otherwise
// a private copy of the layers applied in order (whiteouts honoured).
//
// Contract: prepare() over a folder that is already prepared first releases
// it, so each start of a container sees the image as it is (Kubernetes
// gives a restarted container a fresh writable layer). release() unmounts
// and removes everything prepare() made. Blocking; call off the event loop.
#pragma once

#include <string>
#include <vector>

namespace minik {

bool kernelHasOverlayfs();

// layers: unpacked layer folders, bottom first. Makes dir/rootfs (and
// dir/upper, dir/work with overlayfs). rootfs gets the path.
bool prepareRootfs(const std::vector<std::string>& layers, const std::string& dir, std::string* rootfs,
                   std::string* error);
void releaseRootfs(const std::string& dir);

}  // namespace minik
