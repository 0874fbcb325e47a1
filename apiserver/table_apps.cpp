// Tables of the apps group: Deployment and ReplicaSet (printers.go's
// printDeployment and printReplicaSet).
#include "apiserver/table_kinds.h"

namespace minik {

using nlohmann::json;

namespace {

const char* const kContainersDescription = "Names of each container in the template.";
const char* const kImagesDescription = "Images referenced by each container in the template.";

// spec.replicas defaults to 1 when the object is created.
int64_t desiredReplicas(const json& object) { return integerAt(object, {"spec", "replicas"}, 1); }

json deploymentCells(const json& deployment, std::time_t now) {
  auto [names, images] =
      containerCells(field(deployment, {"spec", "template", "spec", "containers"}));
  // printDeployment prints selector.String() itself: "" (not "<none>") when empty.
  return json::array({textAt(deployment, {"metadata", "name"}),
                      std::to_string(integerAt(deployment, {"status", "readyReplicas"})) + "/" +
                          std::to_string(desiredReplicas(deployment)),
                      integerAt(deployment, {"status", "updatedReplicas"}),
                      integerAt(deployment, {"status", "availableReplicas"}),
                      ageOf(deployment, now), names, images,
                      labelSelectorString(field(deployment, {"spec", "selector"}))});
}

json replicaSetCells(const json& replicaSet, std::time_t now) {
  auto [names, images] =
      containerCells(field(replicaSet, {"spec", "template", "spec", "containers"}));
  return json::array({textAt(replicaSet, {"metadata", "name"}), desiredReplicas(replicaSet),
                      integerAt(replicaSet, {"status", "replicas"}),
                      integerAt(replicaSet, {"status", "readyReplicas"}), ageOf(replicaSet, now),
                      names, images, formatLabelSelector(field(replicaSet, {"spec", "selector"}))});
}

}  // namespace

std::vector<KindTable> appsTables() {
  return {
      {"apps",
       "Deployment",
       {
           {"Name", "string", "name", kNameDescription, 0},
           {"Ready", "string", "", "Number of the pod with ready state", 0},
           {"Up-to-date", "string", "",
            "Total number of non-terminating pods targeted by this deployment that have the "
            "desired template spec.",
            0},
           {"Available", "string", "",
            "Total number of available non-terminating pods (ready for at least minReadySeconds) "
            "targeted by this deployment.",
            0},
           {"Age", "string", "", kCreationTimestampDescription, 0},
           {"Containers", "string", "", kContainersDescription, 1},
           {"Images", "string", "", kImagesDescription, 1},
           {"Selector", "string", "",
            "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be "
            "the ones affected by this deployment.",
            1},
       },
       deploymentCells},
      {"apps",
       "ReplicaSet",
       {
           {"Name", "string", "name", kNameDescription, 0},
           {"Desired", "integer", "",
            "Replicas is the number of desired pods. This is a pointer to distinguish between "
            "explicit zero and unspecified. Defaults to 1. More info: "
            "https://kubernetes.io/docs/concepts/workloads/controllers/replicaset",
            0},
           {"Current", "integer", "",
            "Replicas is the most recently observed number of non-terminating pods. More info: "
            "https://kubernetes.io/docs/concepts/workloads/controllers/replicaset",
            0},
           {"Ready", "integer", "",
            "The number of non-terminating pods targeted by this ReplicaSet with a Ready "
            "Condition.",
            0},
           {"Age", "string", "", kCreationTimestampDescription, 0},
           {"Containers", "string", "", kContainersDescription, 1},
           {"Images", "string", "", kImagesDescription, 1},
           {"Selector", "string", "",
            "Selector is a label query over pods that should match the replica count. If the "
            "selector is empty, it is defaulted to the labels present on the pod template. Label "
            "keys and values that must match in order to be controlled by this replica set. More "
            "info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/"
            "#label-selectors",
            1},
       },
       replicaSetCells},
  };
}

}  // namespace minik
