#include "coordinator/report/table.h"

namespace parlab {
namespace {

std::string MarkdownCell(const std::string& cell) {
  std::string out;
  for (char c : cell) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string CsvCell(const std::string& cell) {
  if (cell.find_first_of(",\"\n\r") == std::string::npos) return cell;
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

const std::string& CellAt(const std::vector<std::string>& row, size_t i) {
  static const std::string kEmpty;
  return i < row.size() ? row[i] : kEmpty;
}

}  // namespace

std::string MarkdownTable(const Table& table) {
  std::string out = "|";
  for (const std::string& column : table.columns) out += " " + MarkdownCell(column) + " |";
  out += "\n|";
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const bool right = i < table.right_aligned.size() && table.right_aligned[i];
    out += right ? " --: |" : " :-- |";
  }
  out += "\n";
  for (const std::vector<std::string>& row : table.rows) {
    out += "|";
    for (size_t i = 0; i < table.columns.size(); ++i) {
      out += " " + MarkdownCell(CellAt(row, i)) + " |";
    }
    out += "\n";
  }
  return out;
}

std::string CsvTable(const Table& table) {
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t i = 0; i < table.columns.size(); ++i) {
      if (i > 0) out += ',';
      out += CsvCell(CellAt(cells, i));
    }
    return out + "\n";
  };
  std::string out = line(table.columns);
  for (const std::vector<std::string>& row : table.rows) out += line(row);
  return out;
}

}  // namespace parlab
