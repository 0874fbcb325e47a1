// cli/table_printer.h — `kubectl get` tables from the server's
// meta.k8s.io/v1 Table answers: the columns of priority 0 (all of them with
// wide), upper-case headers, an optional NAMESPACE column first, names as
// "kind.group/name" when several kinds are shown, a LABELS column with
// --show-labels; laid out as kubectl's tabwriter does (each column as wide
// as its widest cell plus 3 spaces, at least 6; the last column unpadded).
// Column widths are remembered across flushes, so rows printed later by a
// watch line up with the table above them.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace minik {

struct TableOptions {
  bool wide = false;
  bool withNamespace = false;
  std::string kindPrefix;  // "deployment.apps" when names carry their kind
  bool noHeaders = false;
  bool showLabels = false;
};

class TablePrinter {
 public:
  explicit TablePrinter(TableOptions options) : options_(std::move(options)) {}

  // Adds the table's rows; its header too when headers is set and the table
  // has rows (kubectl prints nothing for an empty table).
  void add(const nlohmann::json& table, bool headers);
  // The rows added since the last flush, laid out.
  std::string flush();
  bool empty() const { return rows_.empty(); }

 private:
  TableOptions options_;
  nlohmann::json columns_ = nlohmann::json::array();
  std::vector<std::vector<std::string>> rows_;
  std::vector<size_t> widths_;
};

// A cell as kubectl prints it: strings cut at the first line break (with
// "..."), numbers as Go prints them.
std::string tableCell(const nlohmann::json& cell);

}  // namespace minik
