// The Table printer's entry points: find the kind's table (table_*.cpp), or
// fall back to the generic Name / Created At table the API server gives kinds
// without a printer (k8s.io/apiserver's defaultTableConvertor).
#include "apiserver/table.h"

#include <algorithm>

#include "apiserver/table_kinds.h"

namespace minik {

using nlohmann::json;

namespace {

const KindTable* findTable(const KindInfo& kind) {
  static const std::vector<KindTable> tables = [] {
    std::vector<KindTable> all{podTable()};
    for (auto group : {coreTables(), appsTables(), discoveryTables()}) {
      all.insert(all.end(), group.begin(), group.end());
    }
    return all;
  }();
  auto it = std::find_if(tables.begin(), tables.end(), [&](const KindTable& table) {
    return table.group == kind.group && table.kind == kind.kind;
  });
  return it == tables.end() ? nullptr : &*it;
}

const std::vector<TableColumn> kDefaultColumns = {
    {"Name", "string", "name", kNameDescription, 0},
    {"Created At", "date", "", kCreationTimestampDescription, 0},
};

// Go's Time.UTC().Format(time.RFC3339); the zero time when absent.
std::string createdAt(const json& object) {
  auto when = parseTimestamp(textAt(object, {"metadata", "creationTimestamp"}));
  if (!when) return "0001-01-01T00:00:00Z";
  std::tm tm{};
  gmtime_r(&*when, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

json rowObject(const json& object, const std::string& includeObject) {
  if (includeObject == "Object") return object;
  if (includeObject == "None") return nullptr;
  const json& metadata = field(object, {"metadata"});
  return {{"kind", "PartialObjectMetadata"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", metadata.is_object() ? metadata : json::object()}};
}

}  // namespace

json tableColumns(const KindInfo& kind) {
  const KindTable* table = findTable(kind);
  const std::vector<TableColumn>& columns = table ? table->columns : kDefaultColumns;
  json definitions = json::array();
  for (const auto& column : columns) {
    definitions.push_back({{"name", column.name},
                           {"type", column.type},
                           {"format", column.format},
                           {"description", column.description},
                           {"priority", column.priority}});
  }
  return definitions;
}

json tableRow(const KindInfo& kind, const json& object, const std::string& includeObject,
              std::time_t now) {
  const KindTable* table = findTable(kind);
  json row;
  if (table) {
    row["cells"] = table->cells(object, now);
    if (table->conditions) {
      json conditions = table->conditions(object);
      if (!conditions.is_null()) row["conditions"] = std::move(conditions);
    }
  } else {
    row["cells"] = json::array({textAt(object, {"metadata", "name"}), createdAt(object)});
  }
  row["object"] = rowObject(object, includeObject);
  return row;
}

}  // namespace minik
