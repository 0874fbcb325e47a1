#include "cli/tab_writer.h"

#include <vector>

namespace minik {

namespace {

size_t displayWidth(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

class Layout {
 public:
  Layout(const std::string& text, size_t minWidth, size_t padding) : minWidth_(minWidth), padding_(padding) {
    size_t start = 0;
    while (true) {
      size_t nl = text.find('\n', start);
      std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      std::vector<std::string> cells;
      size_t cs = 0;
      while (true) {
        size_t tab = line.find('\t', cs);
        cells.push_back(line.substr(cs, tab == std::string::npos ? std::string::npos : tab - cs));
        if (tab == std::string::npos) break;
        cs = tab + 1;
      }
      lines_.push_back(std::move(cells));
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }

  std::string run() {
    format(0, lines_.size());
    return out_;
  }

 private:
  // text/tabwriter's Writer.format.
  void format(size_t line0, size_t line1) {
    size_t column = widths_.size();
    for (size_t current = line0; current < line1; ++current) {
      if (column + 1 >= lines_[current].size()) continue;
      writeLines(line0, current);
      line0 = current;
      size_t width = minWidth_;
      for (; current < line1; ++current) {
        const auto& line = lines_[current];
        if (column + 1 >= line.size()) break;
        width = std::max(width, displayWidth(line[column]) + padding_);
      }
      widths_.push_back(width);
      format(line0, current);
      widths_.pop_back();
      line0 = current;
      if (current >= line1) return;
      --current;  // the loop's ++ revisits the line that ended the block
    }
    writeLines(line0, line1);
  }

  void writeLines(size_t line0, size_t line1) {
    for (size_t i = line0; i < line1; ++i) {
      const auto& line = lines_[i];
      for (size_t j = 0; j < line.size(); ++j) {
        out_ += line[j];
        if (j + 1 < line.size() && j < widths_.size()) {
          size_t w = displayWidth(line[j]);
          if (widths_[j] > w) out_.append(widths_[j] - w, ' ');
        }
      }
      if (i + 1 < lines_.size()) out_ += '\n';
    }
  }

  size_t minWidth_, padding_;
  std::vector<std::vector<std::string>> lines_;
  std::vector<size_t> widths_;
  std::string out_;
};

}  // namespace

std::string tabAlign(const std::string& text, size_t minWidth, size_t padding) {
  return Layout(text, minWidth, padding).run();
}

}  // namespace minik
