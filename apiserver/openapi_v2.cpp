#include "apiserver/openapi_v2.h"

#include <cstdint>

#include "api/kinds.h"
#include "apiserver/discovery.h"

namespace minik {

// The "@" of the request form breaks Go's media type parser in responses.
const char* const kOpenApiV2ProtobufType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

namespace {

// Protocol buffers wire format, the two field kinds this document needs.
class ProtoWriter {
 public:
  void string(uint32_t field, const std::string& value) { bytes(field, value); }
  void message(uint32_t field, const ProtoWriter& nested) { bytes(field, nested.out_); }
  const std::string& data() const { return out_; }

 private:
  void varint(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void bytes(uint32_t field, const std::string& value) {
    varint((static_cast<uint64_t>(field) << 3) | 2);  // wire type 2: length-delimited
    varint(value.size());
    out_ += value;
  }
  std::string out_;
};

// Field numbers from gnostic's OpenAPIv2.proto.
namespace doc { enum { kSwagger = 1, kInfo = 2, kPaths = 8 }; }
namespace info { enum { kTitle = 1, kVersion = 2 }; }
namespace paths { enum { kPath = 2 }; }
namespace named { enum { kName = 1, kValue = 2 }; }
namespace pathItem { enum { kPatch = 8 }; }
namespace operation { enum { kParameters = 8, kVendorExtension = 13 }; }
namespace parametersItem { enum { kParameter = 1 }; }
namespace parameter { enum { kNonBody = 2 }; }
namespace nonBody { enum { kQuery = 3 }; }
namespace query { enum { kIn = 2, kName = 4, kType = 6 }; }
namespace any { enum { kYaml = 2 }; }

ProtoWriter fieldValidationParameter() {
  ProtoWriter q;
  q.string(query::kIn, "query");
  q.string(query::kName, "fieldValidation");
  q.string(query::kType, "string");
  ProtoWriter nb;
  nb.message(nonBody::kQuery, q);
  ProtoWriter p;
  p.message(parameter::kNonBody, nb);
  ProtoWriter item;
  item.message(parametersItem::kParameter, p);
  return item;
}

ProtoWriter groupVersionKindExtension(const KindInfo& kind) {
  ProtoWriter value;
  value.string(any::kYaml, "group: \"" + kind.group + "\"\nkind: " + kind.kind +
                               "\nversion: " + kind.version + "\n");
  ProtoWriter ext;
  ext.string(named::kName, "x-kubernetes-group-version-kind");
  ext.message(named::kValue, value);
  return ext;
}

std::string build() {
  ProtoWriter pathList;
  for (const auto& kind : allKinds()) {
    ProtoWriter op;
    op.message(operation::kParameters, fieldValidationParameter());
    op.message(operation::kVendorExtension, groupVersionKindExtension(kind));
    ProtoWriter item;
    item.message(pathItem::kPatch, op);
    std::string prefix = kind.group.empty() ? "/api/" + kind.version
                                            : "/apis/" + kind.group + "/" + kind.version;
    ProtoWriter namedItem;
    namedItem.string(named::kName, prefix + (kind.namespaced ? "/namespaces/{namespace}/" : "/") +
                                       kind.resource + "/{name}");
    namedItem.message(named::kValue, item);
    pathList.message(paths::kPath, namedItem);
  }
  ProtoWriter infoMsg;
  infoMsg.string(info::kTitle, "Kubernetes");
  infoMsg.string(info::kVersion, kKubernetesVersion);
  ProtoWriter document;
  document.string(doc::kSwagger, "2.0");
  document.message(doc::kInfo, infoMsg);
  document.message(doc::kPaths, pathList);
  return document.data();
}

}  // namespace

const std::string& openApiV2Protobuf() {
  static const std::string encoded = build();
  return encoded;
}

}  // namespace minik
