#include "coordinator/cli/format_flags.h"

#include <utility>
#include <vector>

namespace parlab {

FormatFlags FormatFlags::Json(bool* json, std::string message) {
  FormatFlags flags;
  flags.json = json;
  flags.message = std::move(message);
  return flags;
}

FormatFlags& FormatFlags::Markdown(bool* markdown_flag, std::string what) {
  markdown = markdown_flag;
  table = std::move(what);
  return *this;
}

FormatFlags& FormatFlags::Csv(bool* csv_flag, std::string what) {
  csv = csv_flag;
  rows = std::move(what);
  return *this;
}

void AddFormatFlags(CLI::App& app, const FormatFlags& flags) {
  if (flags.json != nullptr) {
    app.add_flag("--json", *flags.json,
                 "print JSON instead of text: one " + flags.message + " message");
  }
  if (flags.markdown != nullptr) {
    app.add_flag("--markdown", *flags.markdown,
                 "print " + flags.table + " as Markdown instead of text (to paste into an issue)");
  }
  if (flags.csv != nullptr) {
    app.add_flag("--csv", *flags.csv, "print CSV instead of text: " + flags.rows);
  }
  std::vector<CLI::Option*> present;
  for (const char* name : {"--json", "--markdown", "--csv"}) {
    if (CLI::Option* option = app.get_option_no_throw(name)) present.push_back(option);
  }
  // CLI11 makes each exclusion both ways; an option already excluded is kept once.
  for (size_t i = 0; i < present.size(); ++i) {
    for (size_t j = i + 1; j < present.size(); ++j) present[i]->excludes(present[j]);
  }
}

}  // namespace parlab
