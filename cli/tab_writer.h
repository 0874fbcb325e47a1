// cli/tab_writer.h — Go's text/tabwriter (left-aligned, space padding), the
// layout kubectl gives `describe` output: cells end at '\t', a column's
// width is settled per block of consecutive lines that have a cell in it,
// and the last cell of a line is not padded.
#pragma once

#include <string>

namespace minik {

std::string tabAlign(const std::string& text, size_t minWidth, size_t padding);

}  // namespace minik
