#pragma once
// A table as data — a header and rows of cells already formatted — and its
// two exports for pasting elsewhere: Markdown (GitHub's pipe tables, as
// hyperfine's --export-markdown: into an issue or a paper) and CSV (RFC
// 4180, for a spreadsheet or pandas). The text tables of the commands stay
// their own; a command builds a Table for --markdown and --csv. Pure; thread-safe.

#include <string>
#include <vector>

namespace parlab {

struct Table {
  std::vector<std::string> columns;
  std::vector<bool> right_aligned;  // per column (numbers); missing: left
  std::vector<std::vector<std::string>> rows;
};

// "| a | b |\n| :-- | --: |\n| x | 1 |\n": a '|' inside a cell is escaped,
// a newline becomes a space; rows shorter than the header get empty cells.
std::string MarkdownTable(const Table& table);

// "a,b\nx,1\n": a cell holding a comma, a quote or a newline is quoted, its
// quotes doubled.
std::string CsvTable(const Table& table);

}  // namespace parlab
