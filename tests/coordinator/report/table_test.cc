#include "coordinator/report/table.h"

#include <gtest/gtest.h>

namespace parlab {
namespace {

TEST(TableTest, MarkdownAlignsAndEscapes) {
  Table table;
  table.columns = {"mode", "speedup"};
  table.right_aligned = {false, true};
  table.rows = {{"seq", "1.00×"}, {"a|b", "line\nbreak"}, {"short"}};
  EXPECT_EQ(MarkdownTable(table),
            "| mode | speedup |\n"
            "| :-- | --: |\n"
            "| seq | 1.00× |\n"
            "| a\\|b | line break |\n"
            "| short |  |\n");
}

TEST(TableTest, CsvQuotesOnlyWhatNeedsIt) {
  Table table;
  table.columns = {"mode", "note"};
  table.rows = {{"seq", "plain"}, {"procs", "a, \"quoted\"\nline"}};
  EXPECT_EQ(CsvTable(table),
            "mode,note\n"
            "seq,plain\n"
            "procs,\"a, \"\"quoted\"\"\nline\"\n");
}

}  // namespace
}  // namespace parlab
