#include "runtime-shim/pod_address_pool.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace minik {

namespace {

const char kLastReserved[] = "last_reserved_ip";

std::string readSmallFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string out = text.str();
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

void makeDirs(const std::string& dir) {
  for (size_t i = 1; i <= dir.size(); ++i) {
    if (i == dir.size() || dir[i] == '/') mkdir(dir.substr(0, i).c_str(), 0700);
  }
}

}  // namespace

bool ipv4FromText(const std::string& text, uint32_t* hostOrder) {
  in_addr a;
  if (inet_pton(AF_INET, text.c_str(), &a) != 1) return false;
  *hostOrder = ntohl(a.s_addr);
  return true;
}

std::string ipv4ToText(uint32_t hostOrder) {
  in_addr a;
  a.s_addr = htonl(hostOrder);
  char text[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &a, text, sizeof text);
  return text;
}

bool Ipv4Cidr::parse(const std::string& text, Ipv4Cidr* out) {
  size_t slash = text.find('/');
  if (slash == std::string::npos) return false;
  uint32_t address;
  if (!ipv4FromText(text.substr(0, slash), &address)) return false;
  char* end = nullptr;
  long prefix = std::strtol(text.c_str() + slash + 1, &end, 10);
  if (*end != 0 || prefix < 0 || prefix > 32 || end == text.c_str() + slash + 1) return false;
  uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  out->network = address & mask;
  out->prefix = static_cast<int>(prefix);
  return true;
}

bool Ipv4Cidr::contains(uint32_t address) const {
  uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  return (address & mask) == network;
}

std::string Ipv4Cidr::text() const { return ipv4ToText(network) + "/" + std::to_string(prefix); }

PodAddressPool::PodAddressPool(std::string dir, const std::string& cidr) : dir_(std::move(dir)) {
  valid_ = Ipv4Cidr::parse(cidr, &cidr_) && cidr_.prefix <= 30;
  makeDirs(dir_);
  load();
}

void PodAddressPool::load() {
  DIR* d = opendir(dir_.c_str());
  if (!d) return;
  while (dirent* e = readdir(d)) {
    uint32_t address;
    if (!ipv4FromText(e->d_name, &address) || !cidr_.contains(address)) continue;
    std::string owner = readSmallFile(dir_ + "/" + e->d_name);
    if (!owner.empty()) byOwner_[owner] = address;
  }
  closedir(d);
  uint32_t last;
  if (ipv4FromText(readSmallFile(dir_ + "/" + kLastReserved), &last) && cidr_.contains(last)) last_ = last;
}

std::string PodAddressPool::allocate(const std::string& owner, std::string* error) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!valid_) {
    *error = "the pod CIDR " + cidr_.text() + " is not a usable IPv4 range";
    return "";
  }
  auto known = byOwner_.find(owner);
  if (known != byOwner_.end()) return ipv4ToText(known->second);
  // Usable: network+2 .. broadcast-1 (network+1 is the gateway).
  const uint32_t first = cidr_.network + 2, last = cidr_.network + cidr_.size() - 2;
  const uint32_t count = last - first + 1;
  uint32_t start = (last_ >= first && last_ <= last) ? last_ - first + 1 : 0;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t candidate = first + (start + i) % count;
    std::string path = dir_ + "/" + ipv4ToText(candidate);
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      if (errno == EEXIST) continue;
      *error = "cannot record the address allocation in " + path + ": " + std::strerror(errno);
      return "";
    }
    bool written = write(fd, owner.data(), owner.size()) == static_cast<ssize_t>(owner.size());
    written = fsync(fd) == 0 && written;
    close(fd);
    if (!written) {
      unlink(path.c_str());
      *error = "cannot record the address allocation in " + path;
      return "";
    }
    byOwner_[owner] = candidate;
    last_ = candidate;
    std::ofstream(dir_ + "/" + kLastReserved, std::ios::trunc) << ipv4ToText(candidate);
    return ipv4ToText(candidate);
  }
  *error = "no IP addresses available in range set: " + ipv4ToText(first) + "-" + ipv4ToText(last);
  return "";
}

void PodAddressPool::release(const std::string& owner) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = byOwner_.find(owner);
  if (it == byOwner_.end()) return;
  unlink((dir_ + "/" + ipv4ToText(it->second)).c_str());
  byOwner_.erase(it);
}

std::string PodAddressPool::addressOf(const std::string& owner) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = byOwner_.find(owner);
  return it == byOwner_.end() ? "" : ipv4ToText(it->second);
}

std::map<std::string, std::string> PodAddressPool::allocations() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::map<std::string, std::string> out;
  for (const auto& [owner, address] : byOwner_) out[owner] = ipv4ToText(address);
  return out;
}

}  // namespace minik
