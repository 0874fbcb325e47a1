// apiserver/table_kinds.h — internal to the Table printer (table.h): one
// KindTable per kind, and the small formatting pieces they share.
//
// Each KindTable mirrors one handler of Kubernetes'
// pkg/printers/internalversion/printers.go as the API server runs it, that is
// with Wide output on: cells() returns one cell per column, priority 1
// columns included (kubectl hides those unless -o wide). Cells are JSON
// strings or integers, exactly as the Go printer produces them.
//
// Objects are the stored (defaulted) JSON objects; every reader tolerates
// missing fields, printing what Kubernetes prints for a zero value.
#pragma once

#include <ctime>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace minik {

struct TableColumn {
  const char* name;
  const char* type;         // "string", "integer", "date"
  const char* format;       // "name" for the object's name column, else ""
  const char* description;  // the API field's doc, as Kubernetes sends it
  int priority;             // 1: shown by kubectl only with -o wide
};

struct KindTable {
  std::string_view group;
  std::string_view kind;
  std::vector<TableColumn> columns;
  nlohmann::json (*cells)(const nlohmann::json& object, std::time_t now);
  // Row conditions ("Completed" for finished pods); null when a kind has none.
  nlohmann::json (*conditions)(const nlohmann::json& object) = nullptr;
};

// The tables, by file: table_pod.cpp, table_core.cpp, table_apps.cpp,
// table_discovery.cpp.
KindTable podTable();
std::vector<KindTable> coreTables();
std::vector<KindTable> appsTables();
std::vector<KindTable> discoveryTables();

// Descriptions every kind repeats (metav1.ObjectMeta's swagger doc).
extern const char* const kNameDescription;
extern const char* const kCreationTimestampDescription;

// --- reading JSON that may lack fields --------------------------------------

// The value at a path of object keys, or a null value when any step is
// missing or not an object.
const nlohmann::json& field(const nlohmann::json& object, std::initializer_list<const char*> path);
// The string at a path, "" when missing or not a string.
std::string textAt(const nlohmann::json& object, std::initializer_list<const char*> path);
// The integer at a path, fallback when missing or not a number.
int64_t integerAt(const nlohmann::json& object, std::initializer_list<const char*> path,
                  int64_t fallback = 0);
// Number of members of an object or elements of an array at a path.
int64_t countAt(const nlohmann::json& object, std::initializer_list<const char*> path);

// --- formatting --------------------------------------------------------------

// RFC 3339 ("2024-05-01T10:00:00Z", fractions and offsets allowed) to whole
// seconds since the epoch; nullopt when unparsable. hasFraction, when given,
// tells whether a nonzero fraction of a second was dropped.
std::optional<std::time_t> parseTimestamp(std::string_view text, bool* hasFraction = nullptr);
// translateTimestampSince: humanDuration(now - timestamp), "<unknown>" when
// the timestamp is missing or unparsable. As Go truncates the exact
// duration, a timestamp with a fraction counts one second less.
std::string timestampSince(const std::string& timestamp, std::time_t now);
// The AGE cell of an object.
std::string ageOf(const nlohmann::json& object, std::time_t now);

// labels.FormatLabels: "k=v" pairs sorted, comma-joined; "<none>" when empty.
std::string formatLabels(const nlohmann::json& labelMap);
// labels.Selector.String() of metav1.LabelSelectorAsSelector: requirements
// sorted by key; "" for a null or empty selector.
std::string labelSelectorString(const nlohmann::json& selector);
// metav1.FormatLabelSelector: the above, "<none>" when empty.
std::string formatLabelSelector(const nlohmann::json& selector);
// layoutContainerCells: container names and images, each comma-joined.
std::pair<std::string, std::string> containerCells(const nlohmann::json& containers);
// listWithMoreString: at most max items, then " + N more..."; "<unset>" when
// there are none.
std::string listWithMore(const std::vector<std::string>& items, size_t max);

}  // namespace minik
