#pragma once
// The output flags of every command that prints figures, declared in one
// place with one wording:
//   --json      print JSON instead of text: one <Message> message
//   --markdown  print <the table> as Markdown instead of text (to paste into an issue)
//   --csv       print CSV instead of text: <what a row is>
// A command takes the ones its output has a shape for — --json always,
// --markdown where a table is, --csv where rows are — and at most one of them
// at a time: CLI11 refuses two (exit 2). Parse-time only; one thread.

#include <CLI/CLI.hpp>
#include <string>
#include <utility>

namespace parlab {

// Which of the three a command takes, and what its help says of each:
//   FormatFlags::Json(&json, "BenchCmdReport")
//       .Markdown(&markdown)
//       .Csv(&csv, "a row per tool (plain numbers)")
struct FormatFlags {
  // --json, printing one `message` (its protobuf name, e.g. "BenchGemmReport").
  static FormatFlags Json(bool* json, std::string message);
  // --markdown, printing `table` ("the table", "the tables").
  FormatFlags& Markdown(bool* markdown, std::string table = "the table");
  // --csv, printing `rows` ("a row per tool (plain numbers)").
  FormatFlags& Csv(bool* csv, std::string rows);

  // Where each flag lands; null: the command has no such flag.
  bool* json = nullptr;
  bool* markdown = nullptr;
  bool* csv = nullptr;
  std::string message;
  std::string table;
  std::string rows;
};

// Adds the flags whose targets are set. Any of --json, --markdown and --csv
// that `app` has already (JobFlags declares --json for run, compare and sweep)
// is made exclusive with the new ones too.
void AddFormatFlags(CLI::App& app, const FormatFlags& flags);

}  // namespace parlab
