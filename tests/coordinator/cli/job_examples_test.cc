// Every job file in examples/jobs/ runs, with small sizes, through the real
// `parlab run --job` and gives results: one summary for a job, one row per
// point for a grid, a command report for a command job. The folder is
// globbed, so a new example is tested without being listed here; a file this
// test cannot size (a workload without a smoke size below) or that is not a
// job file fails instead of being skipped. The files run from a copy of the
// folder with examples/plugin's library built where the plugin example looks
// for it (../plugin/build/). Never a timing. PARLAB_BIN, PARLAB_EXAMPLE_JOBS
// and PARLAB_EXAMPLE_PLUGIN are set by CMake.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "coordinator/report/json_output.h"
#include "coordinator/runtime/job_file.h"
#include "coordinator/runtime/job_grid.h"
#include "proto/parlab.pb.h"
#include "proto/report.pb.h"
#include "tests/support/parlab_process.h"

namespace parlab {
namespace {

namespace fs = std::filesystem;

// The flag that makes a workload's task small; a workload missing here fails
// the test (add its size rather than skip its examples).
const std::map<std::string, std::string> kSmokeSizes = {
    {"loop", "--n 20000"},     {"spin", "--us 100"}, {"sleep", "--ms 1"},  {"matmul", "--n 64"},
    {"svd", "--n 32"},         {"inv", "--n 32"},    {"eig", "--n 32"},    {"sum", "--n 64"},
    {"elementwise", "--n 64"}, {"noop", ""},         {"matvec", "--n 64"},  // examples/plugin's
};

// examples/jobs/ copied to a scratch folder as jobs/, beside plugin/build/
// holding the example plugin: the tree a user has once they built it.
std::vector<fs::path> ExampleFiles() {
  const char* dir = std::getenv("PARLAB_EXAMPLE_JOBS");
  const char* plugin = std::getenv("PARLAB_EXAMPLE_PLUGIN");
  EXPECT_NE(dir, nullptr) << "PARLAB_EXAMPLE_JOBS is not set";
  EXPECT_NE(plugin, nullptr) << "PARLAB_EXAMPLE_PLUGIN is not set";
  std::vector<fs::path> files;
  if (dir == nullptr || plugin == nullptr) return files;
  const fs::path root =
      fs::path(::testing::TempDir()) / ("job_examples_test_" + std::to_string(getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "jobs");
  fs::create_directories(root / "plugin" / "build");
  fs::copy_file(plugin, root / "plugin" / "build" / "libmatvec.so");
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    fs::copy_file(entry.path(), root / "jobs" / entry.path().filename());
    files.push_back(root / "jobs" / entry.path().filename());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// A command job: its report is stdout's last line; every task ran, none failed.
void ExpectCommandJobRuns(const fs::path& file, const pb::CommandJob& command) {
  int64_t tasks = command.arguments_size();
  for (const pb::CommandEntry& entry : command.entries()) tasks += entry.repeat();
  ASSERT_GT(tasks, 0) << "a command example lists its inputs (arguments) or its commands, so "
                         "this test knows how many tasks it makes";
  const std::string args = "run --job " + file.string() + " --json";
  const ParlabRun ran = RunParlabShell(args);
  ASSERT_EQ(ran.exit_code, 0) << args << "\n" << ran.out << ran.err;
  ASSERT_FALSE(ran.out.empty());
  const size_t last = ran.out.rfind('\n', ran.out.size() - 2);
  pb::CommandRunReport report;
  const Status read = FromJson(ran.out.substr(last == std::string::npos ? 0 : last + 1), report);
  ASSERT_TRUE(read.ok()) << read.message() << "\n" << ran.out;
  EXPECT_EQ(report.tasks(), static_cast<uint64_t>(tasks));
  EXPECT_EQ(report.settled(), static_cast<uint64_t>(tasks));
  EXPECT_EQ(report.failed(), 0u);
  EXPECT_EQ(report.exit_code(), 0);
}

// Rows the grid makes once the smoke flags have replaced its sizes.
size_t GridRows(const JobFileSpec& spec) {
  JobGrid grid = spec.grid;
  grid.sizes.clear();
  if (grid.empty()) return 1;
  Result<StudyPlan> plan = PlanJobGrid(spec.job, grid, 4, spec.threads_given);
  EXPECT_TRUE(plan.ok()) << plan.status().message();
  size_t rows = 0;
  if (plan.ok()) {
    for (const StudyStage& stage : plan->stages) rows += stage.jobs.size();
  }
  return rows;
}

void ExpectResults(const pb::JobSummary& summary, int64_t tasks, const std::string& where) {
  EXPECT_EQ(summary.trials(), 1) << where;
  EXPECT_EQ(summary.tasks(), tasks) << where;
  EXPECT_EQ(summary.tasks_failed(), 0) << where;
  EXPECT_GT(summary.wall_mean_s(), 0) << where;
}

TEST(JobExamplesTest, EveryExampleRunsSmallAndGivesResults) {
  const std::vector<fs::path> files = ExampleFiles();
  std::set<std::string> kinds;
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    if (file.filename() == "README.md") continue;
    ASSERT_EQ(file.extension(), ".textproto") << "examples/jobs/ holds job files (*.textproto)";
    Result<JobFileSpec> spec = LoadJobFile(file.string());
    ASSERT_TRUE(spec.ok()) << spec.status().message();
    if (spec->job.has_command()) {
      kinds.insert(spec->job.command().entries_size() > 0 ? "command list" : "command");
      ExpectCommandJobRuns(file, spec->job.command());
      continue;
    }
    if (!spec->job.plugin().empty()) kinds.insert("plugin");
    const std::string& workload = spec->job.kernel().kernel();
    const auto size = kSmokeSizes.find(workload);
    ASSERT_NE(size, kSmokeSizes.end())
        << "no smoke size for workload '" << workload << "': add one to kSmokeSizes";
    const bool listed = spec->job.task_kernels_size() > 0;
    const bool grid = !spec->grid.empty();
    kinds.insert(grid ? "grid" : listed ? "task list" : "uniform");
    const int64_t tasks = listed ? spec->job.task_kernels_size() : 2;
    std::string args = "run --job " + file.string() + " --warmup 0 --trials 1 --json " +
                       size->second + (listed ? "" : " --tasks 2");

    const ParlabRun ran = RunParlabShell(args);
    ASSERT_EQ(ran.exit_code, 0) << args << "\n" << ran.out << ran.err;
    google::protobuf::util::JsonParseOptions options;
    if (grid) {
      pb::JobGridReport report;
      ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ran.out, &report, options).ok())
          << ran.out;
      ASSERT_EQ(static_cast<size_t>(report.rows_size()), GridRows(*spec)) << ran.out;
      EXPECT_EQ(report.workload(), workload);
      for (const pb::JobGridRow& row : report.rows()) {
        ExpectResults(row.summary(), tasks, row.summary().mode());
      }
    } else {
      pb::JobSummary summary;
      ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ran.out, &summary, options).ok())
          << ran.out;
      EXPECT_EQ(summary.workload(), workload);
      ExpectResults(summary, tasks, "the job");
    }
  }
  // One example of each kind at least, so an emptied folder cannot pass.
  EXPECT_EQ(kinds, (std::set<std::string>{"grid", "task list", "uniform", "command", "command list",
                                          "plugin"}));
}

// What the flags do to a file: they override its fields, and a grid's list
// gives way to the flag that stands for it.
TEST(JobExamplesTest, FlagsOverrideTheFile) {
  const char* dir = std::getenv("PARLAB_EXAMPLE_JOBS");
  ASSERT_NE(dir, nullptr);
  const std::string grid = std::string(dir) + "/grid.textproto";
  // --mode and --workers replace the grid's modes and counts, --us its sizes: one job.
  ParlabRun ran = RunParlabShell("run --job " + grid +
                                 " --mode threads --workers 3 --us 50 --tasks 3 --warmup 0 "
                                 "--trials 1 --json");
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  pb::JobSummary summary;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ran.out, &summary).ok()) << ran.out;
  EXPECT_EQ(summary.mode(), "threads");
  EXPECT_EQ(summary.workers(), 3);
  EXPECT_EQ(summary.tasks(), 3);
  EXPECT_EQ(summary.workload(), "spin");

  const std::string listed = std::string(dir) + "/task_list.textproto";
  ran = RunParlabShell("run --job " + listed + " --tasks 5 --n 1000");
  EXPECT_EQ(ran.exit_code, 2) << ran.out << ran.err;
  EXPECT_NE(ran.err.find("--tasks: the job file lists 8 tasks"), std::string::npos) << ran.err;
}

TEST(JobExamplesTest, ABadFileIsAnErrorNamingItsLine) {
  char path[] = "/tmp/parlab-job-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  const std::string text = "workload: \"loop\"\n# a comment\n  wokers: 4\n";
  ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  close(fd);
  const ParlabRun ran = RunParlabShell(std::string("run --job ") + path);
  unlink(path);
  EXPECT_EQ(ran.exit_code, 2) << ran.out << ran.err;
  EXPECT_NE(ran.err.find(std::string(path) + ":3:3: unknown field \"wokers\" in parlab.pb.JobFile"),
            std::string::npos)
      << ran.err;
}

}  // namespace
}  // namespace parlab
