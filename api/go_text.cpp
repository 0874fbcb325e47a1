// Go's rendering of decoded JSON, for patch error texts worded as Kubernetes'.
#include "api/patch_failure.h"

namespace minik::patch_detail {

using json = nlohmann::json;


// fmt's %v of a value decoded into interface{}.
std::string goValue(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "<nil>";
    case json::value_t::string:
      return v.get<std::string>();
    case json::value_t::object: {
      std::string out = "map[";
      bool first = true;
      for (const auto& [key, value] :
           v.items()) {  // nlohmann objects are sorted, as fmt sorts map keys
        if (!first) out += ' ';
        first = false;
        out += key + ":" + goValue(value);
      }
      return out + "]";
    }
    case json::value_t::array: {
      std::string out = "[";
      for (size_t i = 0; i < v.size(); ++i) {
        if (i > 0) out += ' ';
        out += goValue(v[i]);
      }
      return out + "]";
    }
    default:
      return v.dump();
  }
}

// reflect.TypeOf(v).String() for a value decoded by k8s.io/apimachinery's
// json package (integral numbers become int64).
std::string goTypeName(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "%!s(<nil>)";
    case json::value_t::object:
      return "map[string]interface {}";
    case json::value_t::array:
      return "[]interface {}";
    case json::value_t::string:
      return "string";
    case json::value_t::boolean:
      return "bool";
    case json::value_t::number_float:
      return "float64";
    default:
      return "int64";
  }
}

// fmt's %s of a value decoded into interface{}.
std::string goString(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "%!s(<nil>)";
  return "%!s(" + goTypeName(v) + "=" + goValue(v) + ")";
}

// The "json: cannot unmarshal X into Go value of type T" kind word.
std::string goJsonKind(const json& v) {
  switch (v.type()) {
    case json::value_t::object:
      return "object";
    case json::value_t::array:
      return "array";
    case json::value_t::string:
      return "string";
    case json::value_t::boolean:
      return "bool";
    default:
      return "number";
  }
}

}  // namespace minik::patch_detail
