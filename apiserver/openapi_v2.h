// apiserver/openapi_v2.h — the OpenAPI v2 document in the protobuf form
// (gnostic openapi.v2.Document) that kubectl 1.27 and 1.28 download before
// they apply. Like the v3 documents of discovery.h it carries only what
// kubectl reads: for each kind, a PATCH operation tagged with its
// group/version/kind that accepts the fieldValidation parameter, so kubectl
// leaves validation to the server and uses its compiled-in types for
// strategic merge patches.
#pragma once

#include <string>

namespace minik {

extern const char* const kOpenApiV2ProtobufType;

// The encoded document; built once, immutable.
const std::string& openApiV2Protobuf();

}  // namespace minik
