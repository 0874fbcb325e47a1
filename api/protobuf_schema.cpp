// The message tables behind protobuf_schema.h.
//
// Rows are transcribed from k8s.io/api (core/v1, apps/v1, discovery/v1) and
// k8s.io/apimachinery (meta/v1) generated.proto for field numbers and types,
// and from the Go types' struct tags (types.go) for the JSON names, inlined
// structs and omitempty: kOmitEmpty marks a non-pointer scalar with
// `omitempty`, whose zero value Go's protobuf encoder still writes but whose
// JSON leaves it out. Pointer fields (Deployment's replicas, a container's
// restartPolicy) are written only when set and keep their zero value.
//
// Left out, so skipped as unknown fields: the in-tree cloud and legacy volume
// sources (gcePersistentDisk, awsElasticBlockStore, azureDisk, azureFile,
// cinder, cephfs, rbd, iscsi, fc, flexVolume, flocker, glusterfs, gitRepo,
// photonPersistentDisk, portworxVolume, quobyte, scaleIO, storageos,
// vsphereVolume), which an edge cluster cannot mount, and a pod's
// ephemeralContainers, which only the ephemeralcontainers subresource sets.
//
// Messages come before the rows that name them. To add a kind, add its
// message (and those it names) here and a line in kKinds.
#include "api/protobuf_schema.h"

namespace minik::protobuf {

namespace {

using T = ValueType;

constexpr FieldSchema kOwnerReferenceFields[] = {
    {1, "kind", T::String},
    {3, "name", T::String},
    {4, "uid", T::String},
    {5, "apiVersion", T::String},
    {6, "controller", T::Bool},
    {7, "blockOwnerDeletion", T::Bool},
};
constexpr MessageSchema kOwnerReference{"OwnerReference", kOwnerReferenceFields};

constexpr FieldSchema kManagedFieldsEntryFields[] = {
    {1, "manager", T::String, kOmitEmpty},
    {2, "operation", T::String, kOmitEmpty},
    {3, "apiVersion", T::String, kOmitEmpty},
    {4, "time", T::Time},
    {6, "fieldsType", T::String, kOmitEmpty},
    {7, "fieldsV1", T::RawJson},
    {8, "subresource", T::String, kOmitEmpty},
};
constexpr MessageSchema kManagedFieldsEntry{"ManagedFieldsEntry", kManagedFieldsEntryFields};

constexpr FieldSchema kObjectMetaFields[] = {
    {1, "name", T::String, kOmitEmpty},
    {2, "generateName", T::String, kOmitEmpty},
    {3, "namespace", T::String, kOmitEmpty},
    {4, "selfLink", T::String, kOmitEmpty},
    {5, "uid", T::String, kOmitEmpty},
    {6, "resourceVersion", T::String, kOmitEmpty},
    {7, "generation", T::Int64, kOmitEmpty},
    {8, "creationTimestamp", T::Time},
    {9, "deletionTimestamp", T::Time},
    {10, "deletionGracePeriodSeconds", T::Int64},
    {11, "labels", T::String, kMap},
    {12, "annotations", T::String, kMap},
    {13, "ownerReferences", T::Message, kRepeated, &kOwnerReference},
    {14, "finalizers", T::String, kRepeated},
    {17, "managedFields", T::Message, kRepeated, &kManagedFieldsEntry},
};
constexpr MessageSchema kObjectMeta{"ObjectMeta", kObjectMetaFields};

constexpr FieldSchema kNamespaceSpecFields[] = {
    {1, "finalizers", T::String, kRepeated},
};
constexpr MessageSchema kNamespaceSpec{"NamespaceSpec", kNamespaceSpecFields};

constexpr FieldSchema kNamespaceConditionFields[] = {
    {1, "type", T::String},
    {2, "status", T::String},
    {4, "lastTransitionTime", T::Time},
    {5, "reason", T::String, kOmitEmpty},
    {6, "message", T::String, kOmitEmpty},
};
constexpr MessageSchema kNamespaceCondition{"NamespaceCondition", kNamespaceConditionFields};

constexpr FieldSchema kNamespaceStatusFields[] = {
    {1, "phase", T::String, kOmitEmpty},
    {2, "conditions", T::Message, kRepeated, &kNamespaceCondition},
};
constexpr MessageSchema kNamespaceStatus{"NamespaceStatus", kNamespaceStatusFields};

constexpr FieldSchema kNamespaceFields[] = {
    {1, "metadata", T::Message, 0, &kObjectMeta},
    {2, "spec", T::Message, 0, &kNamespaceSpec},
    {3, "status", T::Message, 0, &kNamespaceStatus},
};
constexpr MessageSchema kNamespace{"Namespace", kNamespaceFields};

constexpr FieldSchema kConfigMapFields[] = {
    {1, "metadata", T::Message, 0, &kObjectMeta},
    {2, "data", T::String, kMap},
    {3, "binaryData", T::Bytes, kMap},
    {4, "immutable", T::Bool},
};
constexpr MessageSchema kConfigMap{"ConfigMap", kConfigMapFields};

constexpr FieldSchema kSecretFields[] = {
    {1, "metadata", T::Message, 0, &kObjectMeta},
    {2, "data", T::Bytes, kMap},
    {3, "type", T::String, kOmitEmpty},
    {4, "stringData", T::String, kMap},
    {5, "immutable", T::Bool},
};
constexpr MessageSchema kSecret{"Secret", kSecretFields};

constexpr FieldSchema kObjectReferenceFields[] = {
    {1, "kind", T::String, kOmitEmpty},
    {2, "namespace", T::String, kOmitEmpty},
    {3, "name", T::String, kOmitEmpty},
    {4, "uid", T::String, kOmitEmpty},
    {5, "apiVersion", T::String, kOmitEmpty},
    {6, "resourceVersion", T::String, kOmitEmpty},
    {7, "fieldPath", T::String, kOmitEmpty},
};
constexpr MessageSchema kObjectReference{"ObjectReference", kObjectReferenceFields};

constexpr FieldSchema kLocalObjectReferenceFields[] = {
    {1, "name", T::String, kOmitEmpty},
};
constexpr MessageSchema kLocalObjectReference{"LocalObjectReference", kLocalObjectReferenceFields};

constexpr FieldSchema kServiceAccountFields[] = {
    {1, "metadata", T::Message, 0, &kObjectMeta},
    {2, "secrets", T::Message, kRepeated, &kObjectReference},
    {3, "imagePullSecrets", T::Message, kRepeated, &kLocalObjectReference},
    {4, "automountServiceAccountToken", T::Bool},
};
constexpr MessageSchema kServiceAccount{"ServiceAccount", kServiceAccountFields};

constexpr FieldSchema kServicePortFields[] = {
    {1, "name", T::String, kOmitEmpty},
    {2, "protocol", T::String, kOmitEmpty},
    {3, "port", T::Int32},
    {4, "targetPort", T::IntOrString},
    {5, "nodePort", T::Int32, kOmitEmpty},
    {6, "appProtocol", T::String},
};
constexpr MessageSchema kServicePort{"ServicePort", kServicePortFields};

constexpr FieldSchema kClientIPConfigFields[] = {
    {1, "timeoutSeconds", T::Int32},
};
constexpr MessageSchema kClientIPConfig{"ClientIPConfig", kClientIPConfigFields};

constexpr FieldSchema kSessionAffinityConfigFields[] = {
    {1, "clientIP", T::Message, 0, &kClientIPConfig},
};
constexpr MessageSchema kSessionAffinityConfig{"SessionAffinityConfig", kSessionAffinityConfigFields};

constexpr FieldSchema kServiceSpecFields[] = {
    {1, "ports", T::Message, kRepeated, &kServicePort},
    {2, "selector", T::String, kMap},
    {3, "clusterIP", T::String, kOmitEmpty},
    {4, "type", T::String, kOmitEmpty},
    {5, "externalIPs", T::String, kRepeated},
    {7, "sessionAffinity", T::String, kOmitEmpty},
    {8, "loadBalancerIP", T::String, kOmitEmpty},
    {9, "loadBalancerSourceRanges", T::String, kRepeated},
    {10, "externalName", T::String, kOmitEmpty},
    {11, "externalTrafficPolicy", T::String, kOmitEmpty},
    {12, "healthCheckNodePort", T::Int32, kOmitEmpty},
    {13, "publishNotReadyAddresses", T::Bool, kOmitEmpty},
    {14, "sessionAffinityConfig", T::Message, 0, &kSessionAffinityConfig},
    {17, "ipFamilyPolicy", T::String},
    {18, "clusterIPs", T::String, kRepeated},
    {19, "ipFamilies", T::String, kRepeated},
    {20, "allocateLoadBalancerNodePorts", T::Bool},
    {21, "loadBalancerClass", T::String},
    {22, "internalTrafficPolicy", T::String},
    {23, "trafficDistribution", T::String},
};
constexpr MessageSchema kServiceSpec{"ServiceSpec", kServiceSpecFields};

constexpr FieldSchema kPortStatusFields[] = {
    {1, "port", T::Int32},
    {2, "protocol", T::String},
    {3, "error", T::String},
};
constexpr MessageSchema kPortStatus{"PortStatus", kPortStatusFields};

constexpr FieldSchema kLoadBalancerIngressFields[] = {
    {1, "ip", T::String, kOmitEmpty},
    {2, "hostname", T::String, kOmitEmpty},
    {3, "ipMode", T::String},
    {4, "ports", T::Message, kRepeated, &kPortStatus},
};
constexpr MessageSchema kLoadBalancerIngress{"LoadBalancerIngress", kLoadBalancerIngressFields};

constexpr FieldSchema kLoadBalancerStatusFields[] = {
    {1, "ingress", T::Message, kRepeated, &kLoadBalancerIngress},
};
constexpr MessageSchema kLoadBalancerStatus{"LoadBalancerStatus", kLoadBalancerStatusFields};

constexpr FieldSchema kConditionFields[] = {
    {1, "type", T::String},
    {2, "status", T::String},
    {3, "observedGeneration", T::Int64, kOmitEmpty},
    {4, "lastTransitionTime", T::Time},
    {5, "reason", T::String},
    {6, "message", T::String},
};
constexpr MessageSchema kCondition{"Condition", kConditionFields};

constexpr FieldSchema kServiceStatusFields[] = {
    {1, "loadBalancer", T::Message, 0, &kLoadBalancerStatus},
    {2, "conditions", T::Message, kRepeated, &kCondition},
};
constexpr MessageSchema kServiceStatus{"ServiceStatus", kServiceStatusFields};

constexpr FieldSchema kServiceFields[] = {
    {1, "metadata", T::Message, 0, &kObjectMeta},
    {2, "spec", T::Message, 0, &kServiceSpec},
    {3, "status", T::Message, 0, &kServiceStatus},
};
constexpr MessageSchema kService{"Service", kServiceFields};

constexpr FieldSchema kHostPathVolumeSourceFields[] = {
    {1, "path", T::String},
    {2, "type", T::String},
};
constexpr MessageSchema kHostPathVolumeSource{"HostPathVolumeSource", kHostPathVolumeSourceFields};

constexpr FieldSchema kEmptyDirVolumeSourceFields[] = {
    {1, "medium", T::String, kOmitEmpty},
    {2, "sizeLimit", T::Quantity},
    {3, "mode", T::Int32},
};
constexpr MessageSchema kEmptyDirVolumeSource{"EmptyDirVolumeSource", kEmptyDirVolumeSourceFields};

constexpr FieldSchema kKeyToPathFields[] = {
    {1, "key", T::String},
    {2, "path", T::String},
    {3, "mode", T::Int32},
    {4, "user", T::Int64},
};
constexpr MessageSchema kKeyToPath{"KeyToPath", kKeyToPathFields};

constexpr FieldSchema kSecretVolumeSourceFields[] = {
    {1, "secretName", T::String, kOmitEmpty},
    {2, "items", T::Message, kRepeated, &kKeyToPath},
    {3, "defaultMode", T::Int32},
    {4, "optional", T::Bool},
    {5, "defaultUser", T::Int64},
};
constexpr MessageSchema kSecretVolumeSource{"SecretVolumeSource", kSecretVolumeSourceFields};

constexpr FieldSchema kNFSVolumeSourceFields[] = {
    {1, "server", T::String},
    {2, "path", T::String},
    {3, "readOnly", T::Bool, kOmitEmpty},
};
constexpr MessageSchema kNFSVolumeSource{"NFSVolumeSource", kNFSVolumeSourceFields};

constexpr FieldSchema kPersistentVolumeClaimVolumeSourceFields[] = {
    {1, "claimName", T::String},
    {2, "readOnly", T::Bool, kOmitEmpty},
};
constexpr MessageSchema kPersistentVolumeClaimVolumeSource{"PersistentVolumeClaimVolumeSource", kPersistentVolumeClaimVolumeSourceFields};

constexpr FieldSchema kObjectFieldSelectorFields[] = {
    {1, "apiVersion", T::String, kOmitEmpty},
    {2, "fieldPath", T::String},
};
constexpr MessageSchema kObjectFieldSelector{"ObjectFieldSelector", kObjectFieldSelectorFields};

constexpr FieldSchema kResourceFieldSelectorFields[] = {
    {1, "containerName", T::String, kOmitEmpty},
    {2, "resource", T::String},
    {3, "divisor", T::Quantity},
};
constexpr MessageSchema kResourceFieldSelector{"ResourceFieldSelector", kResourceFieldSelectorFields};

constexpr FieldSchema kDownwardAPIVolumeFileFields[] = {
    {1, "path", T::String},
    {2, "fieldRef", T::Message, 0, &kObjectFieldSelector},
    {3, "resourceFieldRef", T::Message, 0, &kResourceFieldSelector},
    {4, "mode", T::Int32},
    {5, "user", T::Int64},
};
constexpr MessageSchema kDownwardAPIVolumeFile{"DownwardAPIVolumeFile", kDownwardAPIVolumeFileFields};

constexpr FieldSchema kDownwardAPIVolumeSourceFields[] = {
    {1, "items", T::Message, kRepeated, &kDownwardAPIVolumeFile},
    {2, "defaultMode", T::Int32},
    {3, "defaultUser", T::Int64},
};
constexpr MessageSchema kDownwardAPIVolumeSource{"DownwardAPIVolumeSource", kDownwardAPIVolumeSourceFields};

constexpr FieldSchema kConfigMapVolumeSourceFields[] = {
    {1, "", T::Message, 0, &kLocalObjectReference},
    {2, "items", T::Message, kRepeated, &kKeyToPath},
    {3, "defaultMode", T::Int32},
    {4, "optional", T::Bool},
    {5, "defaultUser", T::Int64},
};
constexpr MessageSchema kConfigMapVolumeSource{"ConfigMapVolumeSource", kConfigMapVolumeSourceFields};

constexpr FieldSchema kSecretProjectionFields[] = {
    {1, "", T::Message, 0, &kLocalObjectReference},
    {2, "items", T::Message, kRepeated, &kKeyToPath},
    {4, "optional", T::Bool},
};
constexpr MessageSchema kSecretProjection{"SecretProjection", kSecretProjectionFields};

constexpr FieldSchema kDownwardAPIProjectionFields[] = {
    {1, "items", T::Message, kRepeated, &kDownwardAPIVolumeFile},
};
constexpr MessageSchema kDownwardAPIProjection{"DownwardAPIProjection", kDownwardAPIProjectionFields};

constexpr FieldSchema kConfigMapProjectionFields[] = {
    {1, "", T::Message, 0, &kLocalObjectReference},
    {2, "items", T::Message, kRepeated, &kKeyToPath},
    {4, "optional", T::Bool},
};
constexpr MessageSchema kConfigMapProjection{"ConfigMapProjection", kConfigMapProjectionFields};

constexpr FieldSchema kServiceAccountTokenProjectionFields[] = {
    {1, "audience", T::String, kOmitEmpty},
    {2, "expirationSeconds", T::Int64},
    {3, "path", T::String},
    {4, "user", T::Int64},
};
constexpr MessageSchema kServiceAccountTokenProjection{"ServiceAccountTokenProjection", kServiceAccountTokenProjectionFields};

constexpr FieldSchema kLabelSelectorRequirementFields[] = {
    {1, "key", T::String},
    {2, "operator", T::String},
    {3, "values", T::String, kRepeated},
};
constexpr MessageSchema kLabelSelectorRequirement{"LabelSelectorRequirement", kLabelSelectorRequirementFields};

constexpr FieldSchema kLabelSelectorFields[] = {
    {1, "matchLabels", T::String, kMap},
    {2, "matchExpressions", T::Message, kRepeated, &kLabelSelectorRequirement},
};
constexpr MessageSchema kLabelSelector{"LabelSelector", kLabelSelectorFields};

constexpr FieldSchema kClusterTrustBundleProjectionFields[] = {
    {1, "name", T::String},
    {2, "signerName", T::String},
    {3, "labelSelector", T::Message, 0, &kLabelSelector},
    {4, "path", T::String},
    {5, "optional", T::Bool},
    {6, "user", T::Int64},
};
constexpr MessageSchema kClusterTrustBundleProjection{"ClusterTrustBundleProjection", kClusterTrustBundleProjectionFields};

constexpr FieldSchema kPodCertificateProjectionFields[] = {
    {1, "signerName", T::String, kOmitEmpty},
    {2, "keyType", T::String, kOmitEmpty},
    {3, "maxExpirationSeconds", T::Int32},
    {4, "credentialBundlePath", T::String, kOmitEmpty},
    {5, "keyPath", T::String, kOmitEmpty},
    {6, "certificateChainPath", T::String, kOmitEmpty},
    {7, "userAnnotations", T::String, kMap},
    {8, "user", T::Int64},
};
constexpr MessageSchema kPodCertificateProjection{"PodCertificateProjection", kPodCertificateProjectionFields};

constexpr FieldSchema kVolumeProjectionFields[] = {
    {1, "secret", T::Message, 0, &kSecretProjection},
    {2, "downwardAPI", T::Message, 0, &kDownwardAPIProjection},
    {3, "configMap", T::Message, 0, &kConfigMapProjection},
    {4, "serviceAccountToken", T::Message, 0, &kServiceAccountTokenProjection},
    {5, "clusterTrustBundle", T::Message, 0, &kClusterTrustBundleProjection},
    {6, "podCertificate", T::Message, 0, &kPodCertificateProjection},
};
constexpr MessageSchema kVolumeProjection{"VolumeProjection", kVolumeProjectionFields};

constexpr FieldSchema kProjectedVolumeSourceFields[] = {
    {1, "sources", T::Message, kRepeated, &kVolumeProjection},
    {2, "defaultMode", T::Int32},
    {3, "defaultUser", T::Int64},
};
constexpr MessageSchema kProjectedVolumeSource{"ProjectedVolumeSource", kProjectedVolumeSourceFields};

constexpr FieldSchema kCSIVolumeSourceFields[] = {
    {1, "driver", T::String},
    {2, "readOnly", T::Bool},
    {3, "fsType", T::String},
    {4, "volumeAttributes", T::String, kMap},
    {5, "nodePublishSecretRef", T::Message, 0, &kLocalObjectReference},
};
constexpr MessageSchema kCSIVolumeSource{"CSIVolumeSource", kCSIVolumeSourceFields};

constexpr FieldSchema kVolumeResourceRequirementsFields[] = {
    {1, "limits", T::Quantity, kMap},
    {2, "requests", T::Quantity, kMap},
};
constexpr MessageSchema kVolumeResourceRequirements{"VolumeResourceRequirements", kVolumeResourceRequirementsFields};

constexpr FieldSchema kTypedLocalObjectReferenceFields[] = {
    {1, "apiGroup", T::String},
    {2, "kind", T::String},
    {3, "name", T::String},
};
constexpr MessageSchema kTypedLocalObjectReference{"TypedLocalObjectReference", kTypedLocalObjectReferenceFields};

constexpr FieldSchema kTypedObjectReferenceFields[] = {
    {1, "apiGroup", T::String},
    {2, "kind", T::String},
    {3, "name", T::String},
    {4, "namespace", T::String},
};
constexpr MessageSchema kTypedObjectReference{"TypedObjectReference", kTypedObjectReferenceFields};

constexpr FieldSchema kPersistentVolumeClaimSpecFields[] = {
    {1, "accessModes", T::String, kRepeated},
    {2, "resources", T::Message, 0, &kVolumeResourceRequirements},
    {3, "volumeName", T::String, kOmitEmpty},
    {4, "selector", T::Message, 0, &kLabelSelector},
    {5, "storageClassName", T::String},
    {6, "volumeMode", T::String},
    {7, "dataSource", T::Message, 0, &kTypedLocalObjectReference},
    {8, "dataSourceRef", T::Message, 0, &kTypedObjectReference},
    {9, "volumeAttributesClassName", T::String},
};
constexpr MessageSchema kPersistentVolumeClaimSpec{"PersistentVolumeClaimSpec", kPersistentVolumeClaimSpecFields};

constexpr FieldSchema kPersistentVolumeClaimTemplateFields[] = {
    {1, "metadata", T::Message, 0, &kObjectMeta},
    {2, "spec", T::Message, 0, &kPersistentVolumeClaimSpec},
};
constexpr MessageSchema kPersistentVolumeClaimTemplate{"PersistentVolumeClaimTemplate", kPersistentVolumeClaimTemplateFields};

constexpr FieldSchema kEphemeralVolumeSourceFields[] = {
    {1, "volumeClaimTemplate", T::Message, 0, &kPersistentVolumeClaimTemplate},
};
constexpr MessageSchema kEphemeralVolumeSource{"EphemeralVolumeSource", kEphemeralVolumeSourceFields};

constexpr FieldSchema kImageVolumeSourceFields[] = {
    {1, "reference", T::String, kOmitEmpty},
    {2, "pullPolicy", T::String, kOmitEmpty},
};
constexpr MessageSchema kImageVolumeSource{"ImageVolumeSource", kImageVolumeSourceFields};

constexpr FieldSchema kVolumeSourceFields[] = {
    {1, "hostPath", T::Message, 0, &kHostPathVolumeSource},
    {2, "emptyDir", T::Message, 0, &kEmptyDirVolumeSource},
    {6, "secret", T::Message, 0, &kSecretVolumeSource},
    {7, "nfs", T::Message, 0, &kNFSVolumeSource},
    {10, "persistentVolumeClaim", T::Message, 0, &kPersistentVolumeClaimVolumeSource},
    {16, "downwardAPI", T::Message, 0, &kDownwardAPIVolumeSource},
    {19, "configMap", T::Message, 0, &kConfigMapVolumeSource},
    {26, "projected", T::Message, 0, &kProjectedVolumeSource},
    {28, "csi", T::Message, 0, &kCSIVolumeSource},
    {29, "ephemeral", T::Message, 0, &kEphemeralVolumeSource},
    {30, "image", T::Message, 0, &kImageVolumeSource},
};
constexpr MessageSchema kVolumeSource{"VolumeSource", kVolumeSourceFields};

constexpr FieldSchema kVolumeFields[] = {
    {1, "name", T::String},
    {2, "", T::Message, 0, &kVolumeSource},
};
constexpr MessageSchema kVolume{"Volume", kVolumeFields};

constexpr FieldSchema kContainerPortFields[] = {
    {1, "name", T::String, kOmitEmpty},
    {2, "hostPort", T::Int32, kOmitEmpty},
    {3, "containerPort", T::Int32},
    {4, "protocol", T::String, kOmitEmpty},
    {5, "hostIP", T::String, kOmitEmpty},
};
constexpr MessageSchema kContainerPort{"ContainerPort", kContainerPortFields};

constexpr FieldSchema kConfigMapEnvSourceFields[] = {
    {1, "", T::Message, 0, &kLocalObjectReference},
    {2, "optional", T::Bool},
};
constexpr MessageSchema kConfigMapEnvSource{"ConfigMapEnvSource", kConfigMapEnvSourceFields};

constexpr FieldSchema kSecretEnvSourceFields[] = {
    {1, "", T::Message, 0, &kLocalObjectReference},
    {2, "optional", T::Bool},
};
constexpr MessageSchema kSecretEnvSource{"SecretEnvSource", kSecretEnvSourceFields};

constexpr FieldSchema kEnvFromSourceFields[] = {
    {1, "prefix", T::String, kOmitEmpty},
    {2, "configMapRef", T::Message, 0, &kConfigMapEnvSource},
    {3, "secretRef", T::Message, 0, &kSecretEnvSource},
};
constexpr MessageSchema kEnvFromSource{"EnvFromSource", kEnvFromSourceFields};

constexpr FieldSchema kConfigMapKeySelectorFields[] = {
    {1, "", T::Message, 0, &kLocalObjectReference},
    {2, "key", T::String},
    {3, "optional", T::Bool},
};
constexpr MessageSchema kConfigMapKeySelector{"ConfigMapKeySelector", kConfigMapKeySelectorFields};

constexpr FieldSchema kSecretKeySelectorFields[] = {
    {1, "", T::Message, 0, &kLocalObjectReference},
    {2, "key", T::String},
    {3, "optional", T::Bool},
};
constexpr MessageSchema kSecretKeySelector{"SecretKeySelector", kSecretKeySelectorFields};

constexpr FieldSchema kFileKeySelectorFields[] = {
    {1, "volumeName", T::String},
    {2, "path", T::String},
    {3, "key", T::String},
    {4, "optional", T::Bool},
};
constexpr MessageSchema kFileKeySelector{"FileKeySelector", kFileKeySelectorFields};

constexpr FieldSchema kEnvVarSourceFields[] = {
    {1, "fieldRef", T::Message, 0, &kObjectFieldSelector},
    {2, "resourceFieldRef", T::Message, 0, &kResourceFieldSelector},
    {3, "configMapKeyRef", T::Message, 0, &kConfigMapKeySelector},
    {4, "secretKeyRef", T::Message, 0, &kSecretKeySelector},
    {5, "fileKeyRef", T::Message, 0, &kFileKeySelector},
};
constexpr MessageSchema kEnvVarSource{"EnvVarSource", kEnvVarSourceFields};

constexpr FieldSchema kEnvVarFields[] = {
    {1, "name", T::String},
    {2, "value", T::String, kOmitEmpty},
    {3, "valueFrom", T::Message, 0, &kEnvVarSource},
};
constexpr MessageSchema kEnvVar{"EnvVar", kEnvVarFields};

constexpr FieldSchema kResourceClaimFields[] = {
    {1, "name", T::String},
    {2, "request", T::String, kOmitEmpty},
};
constexpr MessageSchema kResourceClaim{"ResourceClaim", kResourceClaimFields};

constexpr FieldSchema kResourceRequirementsFields[] = {
    {1, "limits", T::Quantity, kMap},
    {2, "requests", T::Quantity, kMap},
    {3, "claims", T::Message, kRepeated, &kResourceClaim},
};
constexpr MessageSchema kResourceRequirements{"ResourceRequirements", kResourceRequirementsFields};

constexpr FieldSchema kContainerResizePolicyFields[] = {
    {1, "resourceName", T::String},
    {2, "restartPolicy", T::String},
};
constexpr MessageSchema kContainerResizePolicy{"ContainerResizePolicy", kContainerResizePolicyFields};

constexpr FieldSchema kContainerRestartRuleOnExitCodesFields[] = {
    {1, "operator", T::String, kOmitEmpty},
    {2, "values", T::Int32, kRepeated},
};
constexpr MessageSchema kContainerRestartRuleOnExitCodes{"ContainerRestartRuleOnExitCodes", kContainerRestartRuleOnExitCodesFields};

constexpr FieldSchema kContainerRestartRuleFields[] = {
    {1, "action", T::String, kOmitEmpty},
    {2, "exitCodes", T::Message, 0, &kContainerRestartRuleOnExitCodes},
};
constexpr MessageSchema kContainerRestartRule{"ContainerRestartRule", kContainerRestartRuleFields};

constexpr FieldSchema kVolumeMountFields[] = {
    {1, "name", T::String},
    {2, "readOnly", T::Bool, kOmitEmpty},
    {3, "mountPath", T::String},
    {4, "subPath", T::String, kOmitEmpty},
    {5, "mountPropagation", T::String},
    {6, "subPathExpr", T::String, kOmitEmpty},
    {7, "recursiveReadOnly", T::String},
    {8, "bindMountOptions", T::String, kRepeated},
};
constexpr MessageSchema kVolumeMount{"VolumeMount", kVolumeMountFields};

constexpr FieldSchema kVolumeDeviceFields[] = {
    {1, "name", T::String},
    {2, "devicePath", T::String},
};
constexpr MessageSchema kVolumeDevice{"VolumeDevice", kVolumeDeviceFields};

constexpr FieldSchema kExecActionFields[] = {
    {1, "command", T::String, kRepeated},
};
constexpr MessageSchema kExecAction{"ExecAction", kExecActionFields};

constexpr FieldSchema kHTTPHeaderFields[] = {
    {1, "name", T::String},
    {2, "value", T::String},
};
constexpr MessageSchema kHTTPHeader{"HTTPHeader", kHTTPHeaderFields};

constexpr FieldSchema kHTTPGetActionFields[] = {
    {1, "path", T::String, kOmitEmpty},
    {2, "port", T::IntOrString},
    {3, "host", T::String, kOmitEmpty},
    {4, "scheme", T::String, kOmitEmpty},
    {5, "httpHeaders", T::Message, kRepeated, &kHTTPHeader},
    {6, "protocol", T::String},
};
constexpr MessageSchema kHTTPGetAction{"HTTPGetAction", kHTTPGetActionFields};

constexpr FieldSchema kTCPSocketActionFields[] = {
    {1, "port", T::IntOrString},
    {2, "host", T::String, kOmitEmpty},
};
constexpr MessageSchema kTCPSocketAction{"TCPSocketAction", kTCPSocketActionFields};

constexpr FieldSchema kGRPCActionFields[] = {
    {1, "port", T::Int32},
    {2, "service", T::String},
    {3, "mode", T::String},
};
constexpr MessageSchema kGRPCAction{"GRPCAction", kGRPCActionFields};

constexpr FieldSchema kProbeHandlerFields[] = {
    {1, "exec", T::Message, 0, &kExecAction},
    {2, "httpGet", T::Message, 0, &kHTTPGetAction},
    {3, "tcpSocket", T::Message, 0, &kTCPSocketAction},
    {4, "grpc", T::Message, 0, &kGRPCAction},
};
constexpr MessageSchema kProbeHandler{"ProbeHandler", kProbeHandlerFields};

constexpr FieldSchema kProbeFields[] = {
    {1, "", T::Message, 0, &kProbeHandler},
    {2, "initialDelaySeconds", T::Int32, kOmitEmpty},
    {3, "timeoutSeconds", T::Int32, kOmitEmpty},
    {4, "periodSeconds", T::Int32, kOmitEmpty},
    {5, "successThreshold", T::Int32, kOmitEmpty},
    {6, "failureThreshold", T::Int32, kOmitEmpty},
    {7, "terminationGracePeriodSeconds", T::Int64},
};
constexpr MessageSchema kProbe{"Probe", kProbeFields};

constexpr FieldSchema kSleepActionFields[] = {
    {1, "seconds", T::Int64},
};
constexpr MessageSchema kSleepAction{"SleepAction", kSleepActionFields};

constexpr FieldSchema kLifecycleHandlerFields[] = {
    {1, "exec", T::Message, 0, &kExecAction},
    {2, "httpGet", T::Message, 0, &kHTTPGetAction},
    {3, "tcpSocket", T::Message, 0, &kTCPSocketAction},
    {4, "sleep", T::Message, 0, &kSleepAction},
};
constexpr MessageSchema kLifecycleHandler{"LifecycleHandler", kLifecycleHandlerFields};

constexpr FieldSchema kLifecycleFields[] = {
    {1, "postStart", T::Message, 0, &kLifecycleHandler},
    {2, "preStop", T::Message, 0, &kLifecycleHandler},
    {3, "stopSignal", T::String},
};
constexpr MessageSchema kLifecycle{"Lifecycle", kLifecycleFields};

constexpr FieldSchema kCapabilitiesFields[] = {
    {1, "add", T::String, kRepeated},
    {2, "drop", T::String, kRepeated},
};
constexpr MessageSchema kCapabilities{"Capabilities", kCapabilitiesFields};

constexpr FieldSchema kSELinuxOptionsFields[] = {
    {1, "user", T::String, kOmitEmpty},
    {2, "role", T::String, kOmitEmpty},
    {3, "type", T::String, kOmitEmpty},
    {4, "level", T::String, kOmitEmpty},
};
constexpr MessageSchema kSELinuxOptions{"SELinuxOptions", kSELinuxOptionsFields};

constexpr FieldSchema kWindowsSecurityContextOptionsFields[] = {
    {1, "gmsaCredentialSpecName", T::String},
    {2, "gmsaCredentialSpec", T::String},
    {3, "runAsUserName", T::String},
    {4, "hostProcess", T::Bool},
};
constexpr MessageSchema kWindowsSecurityContextOptions{"WindowsSecurityContextOptions", kWindowsSecurityContextOptionsFields};

constexpr FieldSchema kSeccompProfileFields[] = {
    {1, "type", T::String},
    {2, "localhostProfile", T::String},
};
constexpr MessageSchema kSeccompProfile{"SeccompProfile", kSeccompProfileFields};

constexpr FieldSchema kAppArmorProfileFields[] = {
    {1, "type", T::String},
    {2, "localhostProfile", T::String},
};
constexpr MessageSchema kAppArmorProfile{"AppArmorProfile", kAppArmorProfileFields};

constexpr FieldSchema kSecurityContextFields[] = {
    {1, "capabilities", T::Message, 0, &kCapabilities},
    {2, "privileged", T::Bool},
    {3, "seLinuxOptions", T::Message, 0, &kSELinuxOptions},
    {4, "runAsUser", T::Int64},
    {5, "runAsNonRoot", T::Bool},
    {6, "readOnlyRootFilesystem", T::Bool},
    {7, "allowPrivilegeEscalation", T::Bool},
    {8, "runAsGroup", T::Int64},
    {9, "procMount", T::String},
    {10, "windowsOptions", T::Message, 0, &kWindowsSecurityContextOptions},
    {11, "seccompProfile", T::Message, 0, &kSeccompProfile},
    {12, "appArmorProfile", T::Message, 0, &kAppArmorProfile},
};
constexpr MessageSchema kSecurityContext{"SecurityContext", kSecurityContextFields};

constexpr FieldSchema kContainerFields[] = {
    {1, "name", T::String},
    {2, "image", T::String, kOmitEmpty},
    {3, "command", T::String, kRepeated},
    {4, "args", T::String, kRepeated},
    {5, "workingDir", T::String, kOmitEmpty},
    {6, "ports", T::Message, kRepeated, &kContainerPort},
    {7, "env", T::Message, kRepeated, &kEnvVar},
    {8, "resources", T::Message, 0, &kResourceRequirements},
    {9, "volumeMounts", T::Message, kRepeated, &kVolumeMount},
    {10, "livenessProbe", T::Message, 0, &kProbe},
    {11, "readinessProbe", T::Message, 0, &kProbe},
    {12, "lifecycle", T::Message, 0, &kLifecycle},
    {13, "terminationMessagePath", T::String, kOmitEmpty},
    {14, "imagePullPolicy", T::String, kOmitEmpty},
    {15, "securityContext", T::Message, 0, &kSecurityContext},
    {16, "stdin", T::Bool, kOmitEmpty},
    {17, "stdinOnce", T::Bool, kOmitEmpty},
    {18, "tty", T::Bool, kOmitEmpty},
    {19, "envFrom", T::Message, kRepeated, &kEnvFromSource},
    {20, "terminationMessagePolicy", T::String, kOmitEmpty},
    {21, "volumeDevices", T::Message, kRepeated, &kVolumeDevice},
    {22, "startupProbe", T::Message, 0, &kProbe},
    {23, "resizePolicy", T::Message, kRepeated, &kContainerResizePolicy},
    {24, "restartPolicy", T::String},
    {25, "restartPolicyRules", T::Message, kRepeated, &kContainerRestartRule},
};
constexpr MessageSchema kContainer{"Container", kContainerFields};

constexpr FieldSchema kSysctlFields[] = {
    {1, "name", T::String},
    {2, "value", T::String},
};
constexpr MessageSchema kSysctl{"Sysctl", kSysctlFields};

constexpr FieldSchema kPodSecurityContextFields[] = {
    {1, "seLinuxOptions", T::Message, 0, &kSELinuxOptions},
    {2, "runAsUser", T::Int64},
    {3, "runAsNonRoot", T::Bool},
    {4, "supplementalGroups", T::Int64, kRepeated},
    {5, "fsGroup", T::Int64},
    {6, "runAsGroup", T::Int64},
    {7, "sysctls", T::Message, kRepeated, &kSysctl},
    {8, "windowsOptions", T::Message, 0, &kWindowsSecurityContextOptions},
    {9, "fsGroupChangePolicy", T::String},
    {10, "seccompProfile", T::Message, 0, &kSeccompProfile},
    {11, "appArmorProfile", T::Message, 0, &kAppArmorProfile},
    {12, "supplementalGroupsPolicy", T::String},
    {13, "seLinuxChangePolicy", T::String},
};
constexpr MessageSchema kPodSecurityContext{"PodSecurityContext", kPodSecurityContextFields};

constexpr FieldSchema kNodeSelectorRequirementFields[] = {
    {1, "key", T::String},
    {2, "operator", T::String},
    {3, "values", T::String, kRepeated},
};
constexpr MessageSchema kNodeSelectorRequirement{"NodeSelectorRequirement", kNodeSelectorRequirementFields};

constexpr FieldSchema kNodeSelectorTermFields[] = {
    {1, "matchExpressions", T::Message, kRepeated, &kNodeSelectorRequirement},
    {2, "matchFields", T::Message, kRepeated, &kNodeSelectorRequirement},
};
constexpr MessageSchema kNodeSelectorTerm{"NodeSelectorTerm", kNodeSelectorTermFields};

constexpr FieldSchema kNodeSelectorFields[] = {
    {1, "nodeSelectorTerms", T::Message, kRepeated, &kNodeSelectorTerm},
};
constexpr MessageSchema kNodeSelector{"NodeSelector", kNodeSelectorFields};

constexpr FieldSchema kPreferredSchedulingTermFields[] = {
    {1, "weight", T::Int32},
    {2, "preference", T::Message, 0, &kNodeSelectorTerm},
};
constexpr MessageSchema kPreferredSchedulingTerm{"PreferredSchedulingTerm", kPreferredSchedulingTermFields};

constexpr FieldSchema kNodeAffinityFields[] = {
    {1, "requiredDuringSchedulingIgnoredDuringExecution", T::Message, 0, &kNodeSelector},
    {2, "preferredDuringSchedulingIgnoredDuringExecution", T::Message, kRepeated, &kPreferredSchedulingTerm},
};
constexpr MessageSchema kNodeAffinity{"NodeAffinity", kNodeAffinityFields};

constexpr FieldSchema kPodAffinityTermFields[] = {
    {1, "labelSelector", T::Message, 0, &kLabelSelector},
    {2, "namespaces", T::String, kRepeated},
    {3, "topologyKey", T::String},
    {4, "namespaceSelector", T::Message, 0, &kLabelSelector},
    {5, "matchLabelKeys", T::String, kRepeated},
    {6, "mismatchLabelKeys", T::String, kRepeated},
};
constexpr MessageSchema kPodAffinityTerm{"PodAffinityTerm", kPodAffinityTermFields};

constexpr FieldSchema kWeightedPodAffinityTermFields[] = {
    {1, "weight", T::Int32},
    {2, "podAffinityTerm", T::Message, 0, &kPodAffinityTerm},
};
constexpr MessageSchema kWeightedPodAffinityTerm{"WeightedPodAffinityTerm", kWeightedPodAffinityTermFields};

constexpr FieldSchema kPodAffinityFields[] = {
    {1, "requiredDuringSchedulingIgnoredDuringExecution", T::Message, kRepeated, &kPodAffinityTerm},
    {2, "preferredDuringSchedulingIgnoredDuringExecution", T::Message, kRepeated, &kWeightedPodAffinityTerm},
};
constexpr MessageSchema kPodAffinity{"PodAffinity", kPodAffinityFields};

constexpr FieldSchema kPodAntiAffinityFields[] = {
    {1, "requiredDuringSchedulingIgnoredDuringExecution", T::Message, kRepeated, &kPodAffinityTerm},
    {2, "preferredDuringSchedulingIgnoredDuringExecution", T::Message, kRepeated, &kWeightedPodAffinityTerm},
};
constexpr MessageSchema kPodAntiAffinity{"PodAntiAffinity", kPodAntiAffinityFields};

constexpr FieldSchema kAffinityFields[] = {
    {1, "nodeAffinity", T::Message, 0, &kNodeAffinity},
    {2, "podAffinity", T::Message, 0, &kPodAffinity},
    {3, "podAntiAffinity", T::Message, 0, &kPodAntiAffinity},
};
constexpr MessageSchema kAffinity{"Affinity", kAffinityFields};

constexpr FieldSchema kTolerationFields[] = {
    {1, "key", T::String, kOmitEmpty},
    {2, "operator", T::String, kOmitEmpty},
    {3, "value", T::String, kOmitEmpty},
    {4, "effect", T::String, kOmitEmpty},
    {5, "tolerationSeconds", T::Int64},
};
constexpr MessageSchema kToleration{"Toleration", kTolerationFields};

constexpr FieldSchema kHostAliasFields[] = {
    {1, "ip", T::String},
    {2, "hostnames", T::String, kRepeated},
};
constexpr MessageSchema kHostAlias{"HostAlias", kHostAliasFields};

constexpr FieldSchema kPodDNSConfigOptionFields[] = {
    {1, "name", T::String, kOmitEmpty},
    {2, "value", T::String},
};
constexpr MessageSchema kPodDNSConfigOption{"PodDNSConfigOption", kPodDNSConfigOptionFields};

constexpr FieldSchema kPodDNSConfigFields[] = {
    {1, "nameservers", T::String, kRepeated},
    {2, "searches", T::String, kRepeated},
    {3, "options", T::Message, kRepeated, &kPodDNSConfigOption},
};
constexpr MessageSchema kPodDNSConfig{"PodDNSConfig", kPodDNSConfigFields};

constexpr FieldSchema kPodReadinessGateFields[] = {
    {1, "conditionType", T::String},
};
constexpr MessageSchema kPodReadinessGate{"PodReadinessGate", kPodReadinessGateFields};

constexpr FieldSchema kTopologySpreadConstraintFields[] = {
    {1, "maxSkew", T::Int32},
    {2, "topologyKey", T::String},
    {3, "whenUnsatisfiable", T::String},
    {4, "labelSelector", T::Message, 0, &kLabelSelector},
    {5, "minDomains", T::Int32},
    {6, "nodeAffinityPolicy", T::String},
    {7, "nodeTaintsPolicy", T::String},
    {8, "matchLabelKeys", T::String, kRepeated},
};
constexpr MessageSchema kTopologySpreadConstraint{"TopologySpreadConstraint", kTopologySpreadConstraintFields};

constexpr FieldSchema kPodOSFields[] = {
    {1, "name", T::String},
};
constexpr MessageSchema kPodOS{"PodOS", kPodOSFields};

constexpr FieldSchema kPodSchedulingGateFields[] = {
    {1, "name", T::String},
};
constexpr MessageSchema kPodSchedulingGate{"PodSchedulingGate", kPodSchedulingGateFields};

constexpr FieldSchema kPodResourceClaimFields[] = {
    {1, "name", T::String},
    {3, "resourceClaimName", T::String},
    {4, "resourceClaimTemplateName", T::String},
};
constexpr MessageSchema kPodResourceClaim{"PodResourceClaim", kPodResourceClaimFields};

constexpr FieldSchema kPodSchedulingGroupFields[] = {
    {1, "podGroupName", T::String},
};
constexpr MessageSchema kPodSchedulingGroup{"PodSchedulingGroup", kPodSchedulingGroupFields};

constexpr FieldSchema kEvictionResponderFields[] = {
    {1, "name", T::String},
    {2, "priority", T::Int32},
};
constexpr MessageSchema kEvictionResponder{"EvictionResponder", kEvictionResponderFields};

constexpr FieldSchema kPodSpecFields[] = {
    {1, "volumes", T::Message, kRepeated, &kVolume},
    {2, "containers", T::Message, kRepeated, &kContainer},
    {3, "restartPolicy", T::String, kOmitEmpty},
    {4, "terminationGracePeriodSeconds", T::Int64},
    {5, "activeDeadlineSeconds", T::Int64},
    {6, "dnsPolicy", T::String, kOmitEmpty},
    {7, "nodeSelector", T::String, kMap},
    {8, "serviceAccountName", T::String, kOmitEmpty},
    {9, "serviceAccount", T::String, kOmitEmpty},
    {10, "nodeName", T::String, kOmitEmpty},
    {11, "hostNetwork", T::Bool, kOmitEmpty},
    {12, "hostPID", T::Bool, kOmitEmpty},
    {13, "hostIPC", T::Bool, kOmitEmpty},
    {14, "securityContext", T::Message, 0, &kPodSecurityContext},
    {15, "imagePullSecrets", T::Message, kRepeated, &kLocalObjectReference},
    {16, "hostname", T::String, kOmitEmpty},
    {17, "subdomain", T::String, kOmitEmpty},
    {18, "affinity", T::Message, 0, &kAffinity},
    {19, "schedulerName", T::String, kOmitEmpty},
    {20, "initContainers", T::Message, kRepeated, &kContainer},
    {21, "automountServiceAccountToken", T::Bool},
    {22, "tolerations", T::Message, kRepeated, &kToleration},
    {23, "hostAliases", T::Message, kRepeated, &kHostAlias},
    {24, "priorityClassName", T::String, kOmitEmpty},
    {25, "priority", T::Int32},
    {26, "dnsConfig", T::Message, 0, &kPodDNSConfig},
    {27, "shareProcessNamespace", T::Bool},
    {28, "readinessGates", T::Message, kRepeated, &kPodReadinessGate},
    {29, "runtimeClassName", T::String},
    {30, "enableServiceLinks", T::Bool},
    {31, "preemptionPolicy", T::String},
    {32, "overhead", T::Quantity, kMap},
    {33, "topologySpreadConstraints", T::Message, kRepeated, &kTopologySpreadConstraint},
    {35, "setHostnameAsFQDN", T::Bool},
    {36, "os", T::Message, 0, &kPodOS},
    {37, "hostUsers", T::Bool},
    {38, "schedulingGates", T::Message, kRepeated, &kPodSchedulingGate},
    {39, "resourceClaims", T::Message, kRepeated, &kPodResourceClaim},
    {40, "resources", T::Message, 0, &kResourceRequirements},
    {41, "hostnameOverride", T::String},
    {43, "schedulingGroup", T::Message, 0, &kPodSchedulingGroup},
    {44, "evictionResponders", T::Message, kRepeated, &kEvictionResponder},
};
constexpr MessageSchema kPodSpec{"PodSpec", kPodSpecFields};

constexpr FieldSchema kPodConditionFields[] = {
    {1, "type", T::String},
    {2, "status", T::String},
    {3, "lastProbeTime", T::Time},
    {4, "lastTransitionTime", T::Time},
    {5, "reason", T::String, kOmitEmpty},
    {6, "message", T::String, kOmitEmpty},
    {7, "observedGeneration", T::Int64, kOmitEmpty},
};
constexpr MessageSchema kPodCondition{"PodCondition", kPodConditionFields};

constexpr FieldSchema kHostIPFields[] = {
    {1, "ip", T::String},
};
constexpr MessageSchema kHostIP{"HostIP", kHostIPFields};

constexpr FieldSchema kPodIPFields[] = {
    {1, "ip", T::String},
};
constexpr MessageSchema kPodIP{"PodIP", kPodIPFields};

constexpr FieldSchema kContainerStateWaitingFields[] = {
    {1, "reason", T::String, kOmitEmpty},
    {2, "message", T::String, kOmitEmpty},
};
constexpr MessageSchema kContainerStateWaiting{"ContainerStateWaiting", kContainerStateWaitingFields};

constexpr FieldSchema kContainerStateRunningFields[] = {
    {1, "startedAt", T::Time},
};
constexpr MessageSchema kContainerStateRunning{"ContainerStateRunning", kContainerStateRunningFields};

constexpr FieldSchema kContainerStateTerminatedFields[] = {
    {1, "exitCode", T::Int32},
    {2, "signal", T::Int32, kOmitEmpty},
    {3, "reason", T::String, kOmitEmpty},
    {4, "message", T::String, kOmitEmpty},
    {5, "startedAt", T::Time},
    {6, "finishedAt", T::Time},
    {7, "containerID", T::String, kOmitEmpty},
};
constexpr MessageSchema kContainerStateTerminated{"ContainerStateTerminated", kContainerStateTerminatedFields};

constexpr FieldSchema kContainerStateFields[] = {
    {1, "waiting", T::Message, 0, &kContainerStateWaiting},
    {2, "running", T::Message, 0, &kContainerStateRunning},
    {3, "terminated", T::Message, 0, &kContainerStateTerminated},
};
constexpr MessageSchema kContainerState{"ContainerState", kContainerStateFields};

constexpr FieldSchema kImageVolumeStatusFields[] = {
    {1, "imageRef", T::String, kOmitEmpty},
};
constexpr MessageSchema kImageVolumeStatus{"ImageVolumeStatus", kImageVolumeStatusFields};

constexpr FieldSchema kVolumeStatusFields[] = {
    {1, "image", T::Message, 0, &kImageVolumeStatus},
};
constexpr MessageSchema kVolumeStatus{"VolumeStatus", kVolumeStatusFields};

constexpr FieldSchema kVolumeMountStatusFields[] = {
    {1, "name", T::String},
    {2, "mountPath", T::String},
    {3, "readOnly", T::Bool, kOmitEmpty},
    {4, "recursiveReadOnly", T::String},
    {5, "volumeStatus", T::Message, 0, &kVolumeStatus},
};
constexpr MessageSchema kVolumeMountStatus{"VolumeMountStatus", kVolumeMountStatusFields};

constexpr FieldSchema kLinuxContainerUserFields[] = {
    {1, "uid", T::Int64},
    {2, "gid", T::Int64},
    {3, "supplementalGroups", T::Int64, kRepeated},
};
constexpr MessageSchema kLinuxContainerUser{"LinuxContainerUser", kLinuxContainerUserFields};

constexpr FieldSchema kContainerUserFields[] = {
    {1, "linux", T::Message, 0, &kLinuxContainerUser},
};
constexpr MessageSchema kContainerUser{"ContainerUser", kContainerUserFields};

constexpr FieldSchema kResourceHealthFields[] = {
    {1, "resourceID", T::String},
    {2, "health", T::String, kOmitEmpty},
    {6, "message", T::String},
};
constexpr MessageSchema kResourceHealth{"ResourceHealth", kResourceHealthFields};

constexpr FieldSchema kResourceStatusFields[] = {
    {1, "name", T::String},
    {2, "resources", T::Message, kRepeated, &kResourceHealth},
};
constexpr MessageSchema kResourceStatus{"ResourceStatus", kResourceStatusFields};

constexpr FieldSchema kContainerStatusFields[] = {
    {1, "name", T::String},
    {2, "state", T::Message, 0, &kContainerState},
    {3, "lastState", T::Message, 0, &kContainerState},
    {4, "ready", T::Bool},
    {5, "restartCount", T::Int32},
    {6, "image", T::String},
    {7, "imageID", T::String},
    {8, "containerID", T::String, kOmitEmpty},
    {9, "started", T::Bool},
    {10, "allocatedResources", T::Quantity, kMap},
    {11, "resources", T::Message, 0, &kResourceRequirements},
    {12, "volumeMounts", T::Message, kRepeated, &kVolumeMountStatus},
    {13, "user", T::Message, 0, &kContainerUser},
    {14, "allocatedResourcesStatus", T::Message, kRepeated, &kResourceStatus},
    {15, "stopSignal", T::String},
};
constexpr MessageSchema kContainerStatus{"ContainerStatus", kContainerStatusFields};

constexpr FieldSchema kPodResourceClaimStatusFields[] = {
    {1, "name", T::String},
    {2, "resourceClaimName", T::String},
};
constexpr MessageSchema kPodResourceClaimStatus{"PodResourceClaimStatus", kPodResourceClaimStatusFields};

constexpr FieldSchema kContainerExtendedResourceRequestFields[] = {
    {1, "containerName", T::String},
    {2, "resourceName", T::String},
    {3, "requestName", T::String},
};
constexpr MessageSchema kContainerExtendedResourceRequest{"ContainerExtendedResourceRequest", kContainerExtendedResourceRequestFields};

constexpr FieldSchema kPodExtendedResourceClaimStatusFields[] = {
    {1, "requestMappings", T::Message, kRepeated, &kContainerExtendedResourceRequest},
    {2, "resourceClaimName", T::String},
};
constexpr MessageSchema kPodExtendedResourceClaimStatus{"PodExtendedResourceClaimStatus", kPodExtendedResourceClaimStatusFields};

constexpr FieldSchema kNodeAllocatableMappedResourcesFields[] = {
    {1, "name", T::String},
    {2, "quantity", T::Quantity},
};
constexpr MessageSchema kNodeAllocatableMappedResources{"NodeAllocatableMappedResources", kNodeAllocatableMappedResourcesFields};

constexpr FieldSchema kNodeAllocatableOverheadResourcesFields[] = {
    {1, "name", T::String},
    {2, "perPod", T::Quantity},
    {3, "perContainer", T::Quantity},
};
constexpr MessageSchema kNodeAllocatableOverheadResources{"NodeAllocatableOverheadResources", kNodeAllocatableOverheadResourcesFields};

constexpr FieldSchema kNodeAllocatableResourceClaimStatusFields[] = {
    {1, "resourceClaimName", T::String},
    {2, "containers", T::String, kRepeated},
    {4, "mapping", T::Message, kRepeated, &kNodeAllocatableMappedResources},
    {5, "overhead", T::Message, kRepeated, &kNodeAllocatableOverheadResources},
};
constexpr MessageSchema kNodeAllocatableResourceClaimStatus{"NodeAllocatableResourceClaimStatus", kNodeAllocatableResourceClaimStatusFields};

constexpr FieldSchema kVolumeHealthConditionFields[] = {
    {1, "status", T::String},
    {2, "reason", T::String},
    {3, "message", T::String, kOmitEmpty},
};
constexpr MessageSchema kVolumeHealthCondition{"VolumeHealthCondition", kVolumeHealthConditionFields};

constexpr FieldSchema kPodVolumeHealthFields[] = {
    {1, "name", T::String},
    {2, "healthConditions", T::Message, kRepeated, &kVolumeHealthCondition},
    {3, "lastTransitionTime", T::Time},
};
constexpr MessageSchema kPodVolumeHealth{"PodVolumeHealth", kPodVolumeHealthFields};

constexpr FieldSchema kPodStatusFields[] = {
    {1, "phase", T::String, kOmitEmpty},
    {2, "conditions", T::Message, kRepeated, &kPodCondition},
    {3, "message", T::String, kOmitEmpty},
    {4, "reason", T::String, kOmitEmpty},
    {5, "hostIP", T::String, kOmitEmpty},
    {6, "podIP", T::String, kOmitEmpty},
    {7, "startTime", T::Time},
    {8, "containerStatuses", T::Message, kRepeated, &kContainerStatus},
    {9, "qosClass", T::String, kOmitEmpty},
    {10, "initContainerStatuses", T::Message, kRepeated, &kContainerStatus},
    {11, "nominatedNodeName", T::String, kOmitEmpty},
    {12, "podIPs", T::Message, kRepeated, &kPodIP},
    {13, "ephemeralContainerStatuses", T::Message, kRepeated, &kContainerStatus},
    {14, "resize", T::String, kOmitEmpty},
    {15, "resourceClaimStatuses", T::Message, kRepeated, &kPodResourceClaimStatus},
    {16, "hostIPs", T::Message, kRepeated, &kHostIP},
    {17, "observedGeneration", T::Int64, kOmitEmpty},
    {18, "extendedResourceClaimStatus", T::Message, 0, &kPodExtendedResourceClaimStatus},
    {19, "allocatedResources", T::Quantity, kMap},
    {20, "resources", T::Message, 0, &kResourceRequirements},
    {21, "nodeAllocatableResourceClaimStatuses", T::Message, kRepeated, &kNodeAllocatableResourceClaimStatus},
    {22, "volumeHealth", T::Message, kRepeated, &kPodVolumeHealth},
};
constexpr MessageSchema kPodStatus{"PodStatus", kPodStatusFields};

constexpr FieldSchema kPodFields[] = {
    {1, "metadata", T::Message, 0, &kObjectMeta},
    {2, "spec", T::Message, 0, &kPodSpec},
    {3, "status", T::Message, 0, &kPodStatus},
};
constexpr MessageSchema kPod{"Pod", kPodFields};

constexpr FieldSchema kPodTemplateSpecFields[] = {
    {1, "metadata", T::Message, 0, &kObjectMeta},
    {2, "spec", T::Message, 0, &kPodSpec},
};
constexpr MessageSchema kPodTemplateSpec{"PodTemplateSpec", kPodTemplateSpecFields};

constexpr FieldSchema kRollingUpdateDeploymentFields[] = {
    {1, "maxUnavailable", T::IntOrString},
    {2, "maxSurge", T::IntOrString},
};
constexpr MessageSchema kRollingUpdateDeployment{"RollingUpdateDeployment", kRollingUpdateDeploymentFields};

constexpr FieldSchema kDeploymentStrategyFields[] = {
    {1, "type", T::String, kOmitEmpty},
    {2, "rollingUpdate", T::Message, 0, &kRollingUpdateDeployment},
};
constexpr MessageSchema kDeploymentStrategy{"DeploymentStrategy", kDeploymentStrategyFields};

constexpr FieldSchema kDeploymentSpecFields[] = {
    {1, "replicas", T::Int32},
    {2, "selector", T::Message, 0, &kLabelSelector},
    {3, "template", T::Message, 0, &kPodTemplateSpec},
    {4, "strategy", T::Message, 0, &kDeploymentStrategy},
    {5, "minReadySeconds", T::Int32, kOmitEmpty},
    {6, "revisionHistoryLimit", T::Int32},
    {7, "paused", T::Bool, kOmitEmpty},
    {9, "progressDeadlineSeconds", T::Int32},
};
constexpr MessageSchema kDeploymentSpec{"DeploymentSpec", kDeploymentSpecFields};

constexpr FieldSchema kDeploymentConditionFields[] = {
    {1, "type", T::String},
    {2, "status", T::String},
    {4, "reason", T::String, kOmitEmpty},
    {5, "message", T::String, kOmitEmpty},
    {6, "lastUpdateTime", T::Time},
    {7, "lastTransitionTime", T::Time},
};
constexpr MessageSchema kDeploymentCondition{"DeploymentCondition", kDeploymentConditionFields};

constexpr FieldSchema kDeploymentStatusFields[] = {
    {1, "observedGeneration", T::Int64, kOmitEmpty},
    {2, "replicas", T::Int32, kOmitEmpty},
    {3, "updatedReplicas", T::Int32, kOmitEmpty},
    {4, "availableReplicas", T::Int32, kOmitEmpty},
    {5, "unavailableReplicas", T::Int32, kOmitEmpty},
    {6, "conditions", T::Message, kRepeated, &kDeploymentCondition},
    {7, "readyReplicas", T::Int32, kOmitEmpty},
    {8, "collisionCount", T::Int32},
    {9, "terminatingReplicas", T::Int32},
};
constexpr MessageSchema kDeploymentStatus{"DeploymentStatus", kDeploymentStatusFields};

constexpr FieldSchema kDeploymentFields[] = {
    {1, "metadata", T::Message, 0, &kObjectMeta},
    {2, "spec", T::Message, 0, &kDeploymentSpec},
    {3, "status", T::Message, 0, &kDeploymentStatus},
};
constexpr MessageSchema kDeployment{"Deployment", kDeploymentFields};

constexpr FieldSchema kReplicaSetSpecFields[] = {
    {1, "replicas", T::Int32},
    {2, "selector", T::Message, 0, &kLabelSelector},
    {3, "template", T::Message, 0, &kPodTemplateSpec},
    {4, "minReadySeconds", T::Int32, kOmitEmpty},
};
constexpr MessageSchema kReplicaSetSpec{"ReplicaSetSpec", kReplicaSetSpecFields};

constexpr FieldSchema kReplicaSetConditionFields[] = {
    {1, "type", T::String},
    {2, "status", T::String},
    {3, "lastTransitionTime", T::Time},
    {4, "reason", T::String, kOmitEmpty},
    {5, "message", T::String, kOmitEmpty},
};
constexpr MessageSchema kReplicaSetCondition{"ReplicaSetCondition", kReplicaSetConditionFields};

constexpr FieldSchema kReplicaSetStatusFields[] = {
    {1, "replicas", T::Int32},
    {2, "fullyLabeledReplicas", T::Int32, kOmitEmpty},
    {3, "observedGeneration", T::Int64, kOmitEmpty},
    {4, "readyReplicas", T::Int32, kOmitEmpty},
    {5, "availableReplicas", T::Int32, kOmitEmpty},
    {6, "conditions", T::Message, kRepeated, &kReplicaSetCondition},
    {7, "terminatingReplicas", T::Int32},
};
constexpr MessageSchema kReplicaSetStatus{"ReplicaSetStatus", kReplicaSetStatusFields};

constexpr FieldSchema kReplicaSetFields[] = {
    {1, "metadata", T::Message, 0, &kObjectMeta},
    {2, "spec", T::Message, 0, &kReplicaSetSpec},
    {3, "status", T::Message, 0, &kReplicaSetStatus},
};
constexpr MessageSchema kReplicaSet{"ReplicaSet", kReplicaSetFields};

constexpr FieldSchema kEndpointAddressFields[] = {
    {1, "ip", T::String},
    {2, "targetRef", T::Message, 0, &kObjectReference},
    {3, "hostname", T::String, kOmitEmpty},
    {4, "nodeName", T::String},
};
constexpr MessageSchema kEndpointAddress{"EndpointAddress", kEndpointAddressFields};

constexpr FieldSchema kEndpointPortFields[] = {
    {1, "name", T::String, kOmitEmpty},
    {2, "port", T::Int32},
    {3, "protocol", T::String, kOmitEmpty},
    {4, "appProtocol", T::String},
};
constexpr MessageSchema kEndpointPort{"EndpointPort", kEndpointPortFields};

constexpr FieldSchema kEndpointSubsetFields[] = {
    {1, "addresses", T::Message, kRepeated, &kEndpointAddress},
    {2, "notReadyAddresses", T::Message, kRepeated, &kEndpointAddress},
    {3, "ports", T::Message, kRepeated, &kEndpointPort},
};
constexpr MessageSchema kEndpointSubset{"EndpointSubset", kEndpointSubsetFields};

constexpr FieldSchema kEndpointsFields[] = {
    {1, "metadata", T::Message, 0, &kObjectMeta},
    {2, "subsets", T::Message, kRepeated, &kEndpointSubset},
};
constexpr MessageSchema kEndpoints{"Endpoints", kEndpointsFields};

constexpr FieldSchema kEventSourceFields[] = {
    {1, "component", T::String, kOmitEmpty},
    {2, "host", T::String, kOmitEmpty},
};
constexpr MessageSchema kEventSource{"EventSource", kEventSourceFields};

constexpr FieldSchema kEventSeriesFields[] = {
    {1, "count", T::Int32, kOmitEmpty},
    {2, "lastObservedTime", T::MicroTime},
};
constexpr MessageSchema kEventSeries{"EventSeries", kEventSeriesFields};

constexpr FieldSchema kEventFields[] = {
    {1, "metadata", T::Message, 0, &kObjectMeta},
    {2, "involvedObject", T::Message, 0, &kObjectReference},
    {3, "reason", T::String, kOmitEmpty},
    {4, "message", T::String, kOmitEmpty},
    {5, "source", T::Message, 0, &kEventSource},
    {6, "firstTimestamp", T::Time},
    {7, "lastTimestamp", T::Time},
    {8, "count", T::Int32, kOmitEmpty},
    {9, "type", T::String, kOmitEmpty},
    {10, "eventTime", T::MicroTime},
    {11, "series", T::Message, 0, &kEventSeries},
    {12, "action", T::String, kOmitEmpty},
    {13, "related", T::Message, 0, &kObjectReference},
    {14, "reportingComponent", T::String},
    {15, "reportingInstance", T::String},
};
constexpr MessageSchema kEvent{"Event", kEventFields};

constexpr FieldSchema kTaintFields[] = {
    {1, "key", T::String},
    {2, "value", T::String, kOmitEmpty},
    {3, "effect", T::String},
    {4, "timeAdded", T::Time},
};
constexpr MessageSchema kTaint{"Taint", kTaintFields};

constexpr FieldSchema kConfigMapNodeConfigSourceFields[] = {
    {1, "namespace", T::String},
    {2, "name", T::String},
    {3, "uid", T::String, kOmitEmpty},
    {4, "resourceVersion", T::String, kOmitEmpty},
    {5, "kubeletConfigKey", T::String},
};
constexpr MessageSchema kConfigMapNodeConfigSource{"ConfigMapNodeConfigSource", kConfigMapNodeConfigSourceFields};

constexpr FieldSchema kNodeConfigSourceFields[] = {
    {2, "configMap", T::Message, 0, &kConfigMapNodeConfigSource},
};
constexpr MessageSchema kNodeConfigSource{"NodeConfigSource", kNodeConfigSourceFields};

constexpr FieldSchema kNodePodPreemptionPolicyFields[] = {
    {1, "disableResizePreemption", T::String, kRepeated},
};
constexpr MessageSchema kNodePodPreemptionPolicy{"NodePodPreemptionPolicy", kNodePodPreemptionPolicyFields};

constexpr FieldSchema kNodeSpecFields[] = {
    {1, "podCIDR", T::String, kOmitEmpty},
    {2, "externalID", T::String, kOmitEmpty},
    {3, "providerID", T::String, kOmitEmpty},
    {4, "unschedulable", T::Bool, kOmitEmpty},
    {5, "taints", T::Message, kRepeated, &kTaint},
    {6, "configSource", T::Message, 0, &kNodeConfigSource},
    {7, "podCIDRs", T::String, kRepeated},
    {8, "podPreemptionPolicy", T::Message, 0, &kNodePodPreemptionPolicy},
};
constexpr MessageSchema kNodeSpec{"NodeSpec", kNodeSpecFields};

constexpr FieldSchema kNodeConditionFields[] = {
    {1, "type", T::String},
    {2, "status", T::String},
    {3, "lastHeartbeatTime", T::Time},
    {4, "lastTransitionTime", T::Time},
    {5, "reason", T::String, kOmitEmpty},
    {6, "message", T::String, kOmitEmpty},
};
constexpr MessageSchema kNodeCondition{"NodeCondition", kNodeConditionFields};

constexpr FieldSchema kNodeAddressFields[] = {
    {1, "type", T::String},
    {2, "address", T::String},
};
constexpr MessageSchema kNodeAddress{"NodeAddress", kNodeAddressFields};

constexpr FieldSchema kDaemonEndpointFields[] = {
    {1, "Port", T::Int32},
};
constexpr MessageSchema kDaemonEndpoint{"DaemonEndpoint", kDaemonEndpointFields};

constexpr FieldSchema kNodeDaemonEndpointsFields[] = {
    {1, "kubeletEndpoint", T::Message, 0, &kDaemonEndpoint},
};
constexpr MessageSchema kNodeDaemonEndpoints{"NodeDaemonEndpoints", kNodeDaemonEndpointsFields};

constexpr FieldSchema kNodeSwapStatusFields[] = {
    {1, "capacity", T::Int64},
};
constexpr MessageSchema kNodeSwapStatus{"NodeSwapStatus", kNodeSwapStatusFields};

constexpr FieldSchema kNodeSystemInfoFields[] = {
    {1, "machineID", T::String},
    {2, "systemUUID", T::String},
    {3, "bootID", T::String},
    {4, "kernelVersion", T::String},
    {5, "osImage", T::String},
    {6, "containerRuntimeVersion", T::String},
    {7, "kubeletVersion", T::String},
    {8, "kubeProxyVersion", T::String},
    {9, "operatingSystem", T::String},
    {10, "architecture", T::String},
    {11, "swap", T::Message, 0, &kNodeSwapStatus},
};
constexpr MessageSchema kNodeSystemInfo{"NodeSystemInfo", kNodeSystemInfoFields};

constexpr FieldSchema kContainerImageFields[] = {
    {1, "names", T::String, kRepeated},
    {2, "sizeBytes", T::Int64, kOmitEmpty},
};
constexpr MessageSchema kContainerImage{"ContainerImage", kContainerImageFields};

constexpr FieldSchema kAttachedVolumeFields[] = {
    {1, "name", T::String},
    {2, "devicePath", T::String},
};
constexpr MessageSchema kAttachedVolume{"AttachedVolume", kAttachedVolumeFields};

constexpr FieldSchema kNodeConfigStatusFields[] = {
    {1, "assigned", T::Message, 0, &kNodeConfigSource},
    {2, "active", T::Message, 0, &kNodeConfigSource},
    {3, "lastKnownGood", T::Message, 0, &kNodeConfigSource},
    {4, "error", T::String, kOmitEmpty},
};
constexpr MessageSchema kNodeConfigStatus{"NodeConfigStatus", kNodeConfigStatusFields};

constexpr FieldSchema kNodeRuntimeHandlerFeaturesFields[] = {
    {1, "recursiveReadOnlyMounts", T::Bool},
    {2, "userNamespaces", T::Bool},
};
constexpr MessageSchema kNodeRuntimeHandlerFeatures{"NodeRuntimeHandlerFeatures", kNodeRuntimeHandlerFeaturesFields};

constexpr FieldSchema kNodeRuntimeHandlerFields[] = {
    {1, "name", T::String},
    {2, "features", T::Message, 0, &kNodeRuntimeHandlerFeatures},
};
constexpr MessageSchema kNodeRuntimeHandler{"NodeRuntimeHandler", kNodeRuntimeHandlerFields};

constexpr FieldSchema kNodeFeaturesFields[] = {
    {1, "supplementalGroupsPolicy", T::Bool},
};
constexpr MessageSchema kNodeFeatures{"NodeFeatures", kNodeFeaturesFields};

constexpr FieldSchema kNodeStatusFields[] = {
    {1, "capacity", T::Quantity, kMap},
    {2, "allocatable", T::Quantity, kMap},
    {3, "phase", T::String, kOmitEmpty},
    {4, "conditions", T::Message, kRepeated, &kNodeCondition},
    {5, "addresses", T::Message, kRepeated, &kNodeAddress},
    {6, "daemonEndpoints", T::Message, 0, &kNodeDaemonEndpoints},
    {7, "nodeInfo", T::Message, 0, &kNodeSystemInfo},
    {8, "images", T::Message, kRepeated, &kContainerImage},
    {9, "volumesInUse", T::String, kRepeated},
    {10, "volumesAttached", T::Message, kRepeated, &kAttachedVolume},
    {11, "config", T::Message, 0, &kNodeConfigStatus},
    {12, "runtimeHandlers", T::Message, kRepeated, &kNodeRuntimeHandler},
    {13, "features", T::Message, 0, &kNodeFeatures},
    {14, "declaredFeatures", T::String, kRepeated},
};
constexpr MessageSchema kNodeStatus{"NodeStatus", kNodeStatusFields};

constexpr FieldSchema kNodeFields[] = {
    {1, "metadata", T::Message, 0, &kObjectMeta},
    {2, "spec", T::Message, 0, &kNodeSpec},
    {3, "status", T::Message, 0, &kNodeStatus},
};
constexpr MessageSchema kNode{"Node", kNodeFields};

constexpr FieldSchema kDiscoveryEndpointConditionsFields[] = {
    {1, "ready", T::Bool},
    {2, "serving", T::Bool},
    {3, "terminating", T::Bool},
};
constexpr MessageSchema kDiscoveryEndpointConditions{"EndpointConditions", kDiscoveryEndpointConditionsFields};

constexpr FieldSchema kDiscoveryForZoneFields[] = {
    {1, "name", T::String},
};
constexpr MessageSchema kDiscoveryForZone{"ForZone", kDiscoveryForZoneFields};

constexpr FieldSchema kDiscoveryForNodeFields[] = {
    {1, "name", T::String},
};
constexpr MessageSchema kDiscoveryForNode{"ForNode", kDiscoveryForNodeFields};

constexpr FieldSchema kDiscoveryEndpointHintsFields[] = {
    {1, "forZones", T::Message, kRepeated, &kDiscoveryForZone},
    {2, "forNodes", T::Message, kRepeated, &kDiscoveryForNode},
};
constexpr MessageSchema kDiscoveryEndpointHints{"EndpointHints", kDiscoveryEndpointHintsFields};

constexpr FieldSchema kDiscoveryEndpointFields[] = {
    {1, "addresses", T::String, kRepeated},
    {2, "conditions", T::Message, 0, &kDiscoveryEndpointConditions},
    {3, "hostname", T::String},
    {4, "targetRef", T::Message, 0, &kObjectReference},
    {5, "deprecatedTopology", T::String, kMap},
    {6, "nodeName", T::String},
    {7, "zone", T::String},
    {8, "hints", T::Message, 0, &kDiscoveryEndpointHints},
};
constexpr MessageSchema kDiscoveryEndpoint{"Endpoint", kDiscoveryEndpointFields};

constexpr FieldSchema kDiscoveryEndpointPortFields[] = {
    {1, "name", T::String},
    {2, "protocol", T::String},
    {3, "port", T::Int32},
    {4, "appProtocol", T::String},
};
constexpr MessageSchema kDiscoveryEndpointPort{"EndpointPort", kDiscoveryEndpointPortFields};

constexpr FieldSchema kDiscoveryEndpointSliceFields[] = {
    {1, "metadata", T::Message, 0, &kObjectMeta},
    {2, "endpoints", T::Message, kRepeated, &kDiscoveryEndpoint},
    {3, "ports", T::Message, kRepeated, &kDiscoveryEndpointPort},
    {4, "addressType", T::String},
};
constexpr MessageSchema kDiscoveryEndpointSlice{"EndpointSlice", kDiscoveryEndpointSliceFields};

struct KindSchema {
  std::string_view apiVersion;
  std::string_view kind;
  const MessageSchema* message;
};

constexpr KindSchema kKinds[] = {
    {"v1", "Namespace", &kNamespace},
    {"v1", "Node", &kNode},
    {"v1", "Pod", &kPod},
    {"v1", "Service", &kService},
    {"v1", "Endpoints", &kEndpoints},
    {"v1", "ConfigMap", &kConfigMap},
    {"v1", "Secret", &kSecret},
    {"v1", "ServiceAccount", &kServiceAccount},
    {"v1", "Event", &kEvent},
    {"apps/v1", "Deployment", &kDeployment},
    {"apps/v1", "ReplicaSet", &kReplicaSet},
    {"discovery.k8s.io/v1", "EndpointSlice", &kDiscoveryEndpointSlice},
};

}  // namespace

const FieldSchema* MessageSchema::field(std::uint32_t number) const {
  // Rows are few and sorted; a linear scan stops early.
  for (std::size_t i = 0; i < count && fields[i].number <= number; ++i) {
    if (fields[i].number == number) return &fields[i];
  }
  return nullptr;
}

const MessageSchema* messageForKind(std::string_view apiVersion, std::string_view kind) {
  for (const auto& entry : kKinds) {
    if (entry.apiVersion == apiVersion && entry.kind == kind) return entry.message;
  }
  return nullptr;
}

}  // namespace minik::protobuf
