#include "cli/table_printer.h"

#include <algorithm>
#include <cctype>

#include "cli/go_json.h"

namespace minik {

using json = nlohmann::json;

namespace {

const size_t kMinWidth = 6;
const size_t kPadding = 3;

size_t displayWidth(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

std::string labelsOf(const json& object) {
  if (!object.is_object() || !object.contains("metadata")) return "<none>";
  const json& labels = object["metadata"].value("labels", json::object());
  if (!labels.is_object() || labels.empty()) return "<none>";
  std::string out;
  for (auto it = labels.begin(); it != labels.end(); ++it) {
    if (!out.empty()) out += ",";
    out += it.key() + "=" + (it.value().is_string() ? it.value().get<std::string>() : it.value().dump());
  }
  return out;
}

}  // namespace

std::string tableCell(const json& cell) {
  if (cell.is_string()) {
    const std::string& s = cell.get_ref<const std::string&>();
    size_t cut = s.find_first_of("\f\n\r");
    return cut == std::string::npos ? s : s.substr(0, cut) + "...";
  }
  if (cell.is_null()) return "<nil>";
  if (cell.is_number_float()) return goFloatG(cell.get<double>());
  if (cell.is_boolean()) return cell.get<bool>() ? "true" : "false";
  if (cell.is_number()) return cell.dump();
  return goJsonCompact(cell);
}

void TablePrinter::add(const json& table, bool headers) {
  // A watch sends the columns with its first table only.
  if (table.contains("columnDefinitions") && table["columnDefinitions"].is_array() &&
      !table["columnDefinitions"].empty()) {
    columns_ = table["columnDefinitions"];
  }
  const json& columns = columns_;
  const json& rows = table.value("rows", json::array());
  std::vector<size_t> shown;
  size_t nameColumn = std::string::npos;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (options_.wide || columns[i].value("priority", 0) == 0) shown.push_back(i);
    if (nameColumn == std::string::npos && columns[i].value("name", "") == "Name") nameColumn = i;
  }
  if (rows.empty()) return;
  if (headers && !options_.noHeaders) {
    std::vector<std::string> header;
    if (options_.withNamespace) header.push_back("NAMESPACE");
    for (size_t i : shown) header.push_back(upper(columns[i].value("name", "")));
    if (options_.showLabels) header.push_back("LABELS");
    rows_.push_back(std::move(header));
  }
  for (const auto& row : rows) {
    const json& cells = row.value("cells", json::array());
    const json& object = row.contains("object") ? row["object"] : json();
    std::vector<std::string> line;
    if (options_.withNamespace) {
      std::string ns;
      if (object.is_object() && object.contains("metadata")) ns = object["metadata"].value("namespace", "");
      line.push_back(ns);
    }
    for (size_t i : shown) {
      std::string text = i < cells.size() ? tableCell(cells[i]) : "";
      if (i == nameColumn && !options_.kindPrefix.empty()) text = options_.kindPrefix + "/" + text;
      line.push_back(std::move(text));
    }
    if (options_.showLabels) line.push_back(labelsOf(object));
    rows_.push_back(std::move(line));
  }
}

std::string TablePrinter::flush() {
  for (const auto& row : rows_) {
    for (size_t i = 0; i + 1 < row.size(); ++i) {
      if (widths_.size() <= i) widths_.resize(i + 1, 0);
      widths_[i] = std::max({widths_[i], displayWidth(row[i]) + kPadding, kMinWidth});
    }
  }
  std::string out;
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) {
      out += row[i];
      if (i + 1 < row.size()) out.append(widths_[i] - displayWidth(row[i]), ' ');
    }
    out += '\n';
  }
  rows_.clear();
  return out;
}

}  // namespace minik
