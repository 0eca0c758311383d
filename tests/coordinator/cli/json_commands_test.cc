// Every command that prints figures, run with --json and tiny sizes through
// the real binary, and its output read back into the command's message with
// unknown fields refused: what a command prints is exactly its .proto
// (proto/parlab.proto, proto/report.proto), nothing hand-made beside it.
// Another test holds the list against `parlab --help`, so a new command
// without a case here fails.
#include <gtest/gtest.h>
#include <unistd.h>

#include <iterator>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "coordinator/report/json_output.h"
#include "proto/report.pb.h"
#include "tests/support/parlab_process.h"

namespace parlab {
namespace {

struct Case {
  std::string command;  // as `parlab --help` names it ("bench gemm" for a bench subcommand)
  std::string args;     // what follows `parlab` (shell words)
  std::unique_ptr<google::protobuf::Message> message;  // the type its --json prints
};

template <typename M>
std::unique_ptr<google::protobuf::Message> Type() {
  return std::make_unique<M>();
}

std::string LogPath() {
  return ::testing::TempDir() + "json_commands_test_" + std::to_string(getpid()) + ".jsonl";
}

// Tiny sizes and one trial each: the point is the shape, not the figures.
std::vector<Case> Cases() {
  std::vector<Case> cases;
  cases.push_back({"run", "run noop --tasks 4 --warmup 0 --trials 1 --json --log " + LogPath(),
                   Type<pb::JobSummary>()});
  cases.push_back({"analyse", "analyse --json " + LogPath(), Type<pb::AnalysisReport>()});
  // run --cmd's own report (commands that print nothing, so stdout is the report alone).
  cases.push_back(
      {"run", "run --cmd true --workers 2 --json ::: a b", Type<pb::CommandRunReport>()});
  cases.push_back({"compare",
                   "compare noop --modes seq,threads --workers 2 --tasks 4 --warmup 0 "
                   "--trials 1 --json",
                   Type<pb::CompareReport>()});
  cases.push_back({"sweep",
                   "sweep noop --workers 1,2 --modes threads --tasks 4 --warmup 0 --trials 1 "
                   "--json",
                   Type<pb::SweepReport>()});
  cases.push_back({"metg",
                   "metg --modes threads --workers 1 --min-us 50 --max-us 50 --trial-ms 1 "
                   "--warmup 0 --trials 1 --json",
                   Type<pb::MetgReport>()});
  cases.push_back({"env", "env --json", Type<pb::EnvReport>()});
  cases.push_back({"memory", "memory --n 8 --batch 1 --channels 1 --size 8 --layers c2 --json",
                   Type<pb::MemoryReport>()});
  cases.push_back({"timeit", "timeit noop --repeats 1 --loops 1 --json", Type<pb::TimeitReport>()});
  cases.push_back({"profile", "profile pca --rows 20 --cols 4 --k 2 --runs 1 --json",
                   Type<pb::ProfileReport>()});
  cases.push_back({"advise", "advise spin --us 200 --trials 1 --target 0.01 --workers 2 --json",
                   Type<pb::AdviseReport>()});
  cases.push_back({"chaos", "chaos --duration 100ms --kill-every 30ms --tasks 40 --us 20 --json",
                   Type<pb::ChaosReport>()});
  cases.push_back(
      {"tour", "tour --quick --section thread-variables --json", Type<pb::TourReport>()});
  cases.push_back({"bench gemm", "bench gemm --sizes 16 --threads 1 --trials 1 --json",
                   Type<pb::BenchGemmReport>()});
  cases.push_back({"bench ipc", "bench ipc --quick --json", Type<pb::BenchIpcReport>()});
  cases.push_back({"bench log", "bench log --modes threads --tasks 20 --trials 1 --warmup 0 --json",
                   Type<pb::LogCostReport>()});
  cases.push_back(
      {"bench cmd", "bench cmd --inputs 10 --rounds 1 --json", Type<pb::BenchCmdReport>()});
  return cases;
}

// Commands that print no figures, so have no --json: clean removes segments,
// report writes an HTML page of other commands' JSON, bench only groups.
const std::set<std::string> kNoFigures = {"clean", "report", "bench"};

// The subcommand names of `parlab [sub] --help`, from its "SUBCOMMANDS:" block.
std::vector<std::string> Subcommands(const std::string& help_of) {
  const ParlabRun ran = RunParlabShell(help_of + " --help");
  std::vector<std::string> names;
  std::istringstream lines(ran.out);
  std::string line;
  bool in_block = false;
  while (std::getline(lines, line)) {
    if (line.rfind("SUBCOMMANDS:", 0) == 0 || line.rfind("Subcommands:", 0) == 0) {
      in_block = true;
      continue;
    }
    if (!in_block || line.empty()) continue;
    if (line[0] != ' ') break;  // the next block
    // A name is indented by two; its description's further lines by more.
    if (line.size() < 3 || line[1] != ' ' || line[2] == ' ') continue;
    std::istringstream words(line);
    std::string name;
    if (!(words >> name)) continue;
    if (name.back() == ',') name.pop_back();  // "analyse, analyze": an alias follows
    names.push_back(name);
  }
  return names;
}

TEST(JsonCommandsTest, EveryCommandWithFiguresHasACase) {
  std::set<std::string> covered;
  for (const Case& c : Cases()) covered.insert(c.command);
  const std::vector<std::string> top = Subcommands("");
  ASSERT_GE(top.size(), 10u) << "could not read the subcommands of `parlab --help`";
  for (const std::string& name : top) {
    if (kNoFigures.count(name) == 0) {
      EXPECT_TRUE(covered.count(name)) << name << " has no case";
    }
  }
  const std::vector<std::string> bench = Subcommands("bench");
  ASSERT_FALSE(bench.empty()) << "could not read the subcommands of `parlab bench --help`";
  for (const std::string& name : bench) {
    EXPECT_TRUE(covered.count("bench " + name)) << "bench " << name << " has no case";
  }
}

// Each --json, --markdown and --csv that a command's --help lists says the
// words of cli/format_flags.h: one helper declares them all.
TEST(JsonCommandsTest, EveryOutputFlagSaysTheOneWording) {
  std::vector<std::string> commands;
  for (const std::string& name : Subcommands("")) {
    if (name != "bench") commands.push_back(name);
  }
  for (const std::string& name : Subcommands("bench")) commands.push_back("bench " + name);
  ASSERT_GE(commands.size(), 14u);
  const struct {
    const char* flag;
    const char* words;
  } kFlags[] = {{"--json", "print JSON instead of text: one "},
                {"--markdown", " as Markdown instead of text (to paste into an issue)"},
                {"--csv", "print CSV instead of text: "}};
  for (const std::string& command : commands) {
    const std::string help = RunParlabShell(command + " --help").out;
    for (const auto& f : kFlags) {
      // Options are listed one a line, indented by two: "  --csv Excludes: ...".
      const std::regex listed("\\n  " + std::string(f.flag) + "[ \\n]");
      const auto flags = std::distance(std::sregex_iterator(help.begin(), help.end(), listed),
                                       std::sregex_iterator());
      size_t worded = 0;
      for (size_t at = help.find(f.words); at != std::string::npos;
           at = help.find(f.words, at + 1)) {
        ++worded;
      }
      EXPECT_EQ(static_cast<size_t>(flags), worded) << command << " " << f.flag << "\n" << help;
    }
  }
}

// Bytes that are not UTF-8 in what a command printed and in an input (issue
// 16: replaced, not dropped): the JSON still parses, U+FFFD in their place,
// the rest of the text kept.
TEST(JsonCommandsTest, InvalidUtf8FromACommandIsReplacedNotDropped) {
  const ParlabRun ran = RunParlabShell(
      R"sh(run --cmd "printf 'bad \377 byte\n' >&2; exit 3" --shell --json ::: "$(printf 'x\377y')")sh");
  ASSERT_EQ(ran.exit_code, 1) << ran.out << ran.err;  // the task failed
  pb::CommandRunReport report;
  ASSERT_TRUE(FromJson(ran.out, report).ok()) << ran.out;
  ASSERT_EQ(report.first_failures_size(), 1) << ran.out;
  EXPECT_EQ(report.first_failures(0).stderr_tail(), "bad \xef\xbf\xbd byte");
  EXPECT_EQ(report.first_failures(0).input(), "x\xef\xbf\xbdy");
}

// bench gemm --quick: sizes 500 and 1000 (n >= 1000 is where its target is
// read), 2 trials; a --trials given still wins. One thread keeps it short.
TEST(JsonCommandsTest, BenchGemmQuickMeasuresUpToTheTargetSize) {
  const ParlabRun ran = RunParlabShell("bench gemm --quick --threads 1 --trials 1 --json");
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  pb::BenchGemmReport report;
  ASSERT_TRUE(FromJson(ran.out, report).ok()) << ran.out;
  ASSERT_EQ(report.rows_size(), 2) << ran.out;
  EXPECT_EQ(report.rows(0).n(), 500);
  EXPECT_EQ(report.rows(1).n(), 1000);
  EXPECT_EQ(report.trials(), 1);
  EXPECT_TRUE(report.has_target_met());  // read at n = 1000, whichever way it went
  EXPECT_FALSE(report.openblas_core().empty());
}

TEST(JsonCommandsTest, EveryJsonReadsBackIntoItsMessage) {
  for (Case& c : Cases()) {
    SCOPED_TRACE(c.args);
    const ParlabRun ran = RunParlabShell(c.args);
    ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
    // One object on one line: nothing else on stdout.
    ASSERT_FALSE(ran.out.empty());
    EXPECT_EQ(ran.out.find('\n'), ran.out.size() - 1) << ran.out;
    const Status read = FromJson(ran.out, *c.message);
    EXPECT_TRUE(read.ok()) << read.message() << "\n" << ran.out;
  }
  unlink(LogPath().c_str());
}

}  // namespace
}  // namespace parlab
