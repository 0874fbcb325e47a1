// api/pod_backed_server.h — a server that runs inside minik but that the
// cluster shows as a pod, the way k3s shows CoreDNS: the embedded DNS server
// stands behind the kube-system/coredns pods. The controller that writes
// those pods' status drives the server through this interface, so the pod
// and the server live and die together; the server implements it. It sits
// in api/ because both sides depend on api/ and neither on the other.
//
// Contract:
//  - All calls are made on the thread of the cluster client's loop.
//  - startServing() and stopServing() are idempotent; after stopServing()
//    returns, nothing is answered until the next startServing().
//  - serving() is true only while at least one address is bound and
//    answered: it is what the pod's Ready condition reports.
//  - podIp() is the address the pod's ports are really served on, which the
//    pod shows as its podIP (and so its Service's endpoints list); "" while
//    it is bound nowhere. It may change when the server starts again (an
//    address it preferred became free or was taken).
#pragma once

#include <string>

namespace minik {

class PodBackedServer {
 public:
  virtual ~PodBackedServer() = default;
  // False with *error set when no address could be bound.
  virtual bool startServing(std::string* error) = 0;
  virtual void stopServing() = 0;
  virtual bool serving() const = 0;
  virtual std::string podIp() const = 0;
};

}  // namespace minik
