// The commands' tables for pasting elsewhere, through the real binary with
// tiny sizes: every --csv is one rectangular RFC 4180 table whose header
// starts as documented, and every --markdown one pipe table at least (the
// shape of each export is tested in its unit's test; this one holds the
// flags to the commands that promise them).
#include <gtest/gtest.h>
#include <unistd.h>

#include <sstream>
#include <string>
#include <vector>

#include "tests/support/parlab_process.h"

namespace parlab {
namespace {

std::string LogPath() {
  return ::testing::TempDir() + "table_commands_test_" + std::to_string(getpid()) + ".jsonl";
}

// RFC 4180 records: fields split at commas outside quotes, "" inside quotes
// is one quote, a record ends at a newline outside quotes.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      record.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(record));
      record.clear();
    } else {
      field += c;
    }
  }
  EXPECT_FALSE(quoted) << "an unterminated quote";
  EXPECT_TRUE(field.empty() && record.empty()) << "the last record has no newline";
  return records;
}

struct CsvCase {
  std::string args;
  std::vector<std::string> first_columns;  // the header starts so
};

std::vector<CsvCase> CsvCases() {
  return {
      {"compare noop --modes seq,threads --workers 2 --tasks 4 --warmup 0 --trials 1 --csv",
       {"mode", "workers", "threads"}},
      {"sweep noop --workers 1,2 --modes threads --tasks 4 --warmup 0 --trials 1 --csv",
       {"mode", "workers"}},
      {"metg --modes threads --workers 1 --min-us 50 --max-us 50 --trial-ms 1 --warmup 0 "
       "--trials 1 --csv",
       {"mode", "parallel_units", "spin_us"}},
      {"analyse --csv " + LogPath(), {"log", "worker", "tasks", "phase", "p50_us"}},
      {"timeit noop --repeats 2 --loops 1 --csv",
       {"workload", "threads", "loops", "repeat", "per_loop_s"}},
      {"memory --n 8 --batch 1 --channels 1 --size 8 --layers c2 --no-peak --csv",
       {"part", "name", "shape"}},
      {"bench gemm --sizes 16 --threads 1 --trials 1 --csv", {"n", "threads", "parlab_gflops"}},
      {"bench ipc --quick --csv", {"table", "row", "name", "field", "value"}},
      {"bench log --modes threads --tasks 20 --trials 1 --warmup 0 --csv", {"mode", "workers"}},
      {"bench cmd --inputs 10 --rounds 1 --csv", {"tool", "installed", "wall_median_s"}},
      {"profile pca --rows 20 --cols 4 --k 2 --runs 1 --csv", {"workload", "stage", "calls"}},
  };
}

TEST(TableCommandsTest, EveryCsvIsOneRectangularTable) {
  const ParlabRun logged =
      RunParlabShell("run noop --tasks 4 --warmup 0 --trials 1 --log " + LogPath());
  ASSERT_EQ(logged.exit_code, 0) << logged.out << logged.err;
  for (const CsvCase& c : CsvCases()) {
    SCOPED_TRACE(c.args);
    const ParlabRun ran = RunParlabShell(c.args);
    ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
    const std::vector<std::vector<std::string>> records = ParseCsv(ran.out);
    ASSERT_GE(records.size(), 2u) << ran.out;  // a header and a row at least
    const std::vector<std::string>& header = records.front();
    ASSERT_GE(header.size(), c.first_columns.size()) << ran.out;
    EXPECT_EQ(std::vector<std::string>(header.begin(),
                                       header.begin() + static_cast<long>(c.first_columns.size())),
              c.first_columns);
    for (const std::vector<std::string>& record : records) {
      EXPECT_EQ(record.size(), header.size()) << ran.out;
    }
  }
  unlink(LogPath().c_str());
}

TEST(TableCommandsTest, MarkdownOnCompareSweepAndEveryBench) {
  const std::vector<std::string> cases = {
      "compare noop --modes seq,threads --workers 2 --tasks 4 --warmup 0 --trials 1 --markdown",
      "sweep noop --workers 1,2 --modes threads --tasks 4 --warmup 0 --trials 1 --markdown",
      "bench gemm --sizes 16 --threads 1 --trials 1 --markdown",
      "bench log --modes threads --tasks 20 --trials 1 --warmup 0 --markdown",
      "bench cmd --inputs 10 --rounds 1 --markdown",
  };
  for (const std::string& args : cases) {
    SCOPED_TRACE(args);
    const ParlabRun ran = RunParlabShell(args);
    ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
    std::istringstream lines(ran.out);
    std::string header, rule;
    // The table's first two lines: "| a | b |" and "| :-- | --: |".
    while (std::getline(lines, header) && header.rfind("| ", 0) != 0) {
    }
    ASSERT_TRUE(std::getline(lines, rule)) << ran.out;
    EXPECT_EQ(rule.rfind("| ", 0), 0u) << ran.out;
    EXPECT_NE(rule.find("--"), std::string::npos) << ran.out;
  }
}

TEST(TableCommandsTest, CsvAndJsonDoNotGoTogether) {
  const std::vector<std::string> cases = {"metg --csv --json",
                                          "timeit noop --csv --json",
                                          "bench cmd --csv --json",
                                          "analyse --csv --json x.jsonl",
                                          "sweep noop --csv --json",
                                          "sweep noop --markdown --csv",
                                          "compare noop --markdown --json",
                                          "memory --csv --json",
                                          "profile --csv --json",
                                          "profile --csv --perf"};
  for (const std::string& args : cases) {
    SCOPED_TRACE(args);
    const ParlabRun ran = RunParlabShell(args);
    EXPECT_EQ(ran.exit_code, 2) << ran.out << ran.err;
  }
}

}  // namespace
}  // namespace parlab
