// A user's kernel plugin through the real binaries: `parlab run --plugin
// lib.so --kernel NAME` runs it in every mode with one answer (the checksum
// the kernel computes here), a plugin that crashes is a worker death like any
// other (requeued; the give-up rule when nothing succeeds), and a plugin that cannot
// be used is exit code 2 with a clear message before anything starts —
// no segment, no worker. The plugins are tests/support/plugins'.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "coordinator/cli/command.h"
#include "coordinator/runtime/local_task.h"
#include "proto/parlab.pb.h"
#include "shared/kernels/plugin_loader.h"
#include "tests/support/parlab_process.h"
#include "tests/support/scoped_env.h"
#include "tests/support/strict_job_checks.h"

namespace parlab {
namespace {

const std::vector<std::string> kShape = {"--workers", "2", "--tasks",  "6",
                                         "--warmup",  "0", "--trials", "2"};

struct Ran {
  int exit_code = -1;
  std::string output;
  pb::JobSummary summary;  // from --json, when it ran
};

Ran RunPlugin(std::vector<std::string> args) {
  args.insert(args.begin(), {"run", "--plugin", PARLAB_TEST_PLUGIN});
  args.insert(args.end(), kShape.begin(), kShape.end());
  args.push_back("--json");
  ParlabProcess parlab(args);
  Ran ran;
  ran.exit_code = parlab.Wait();
  ran.output = parlab.output();
  // The summary is the last line; a warning may come before it on stderr.
  const size_t brace = ran.output.rfind("\n{");
  const std::string json = ran.output.substr(brace == std::string::npos ? 0 : brace + 1);
  (void)google::protobuf::util::JsonStringToMessage(json, &ran.summary);
  ExpectNothingLeft(parlab.pid());
  return ran;
}

// What sumsq answers for these parameters, computed here.
double ExpectedChecksum(int64_t n) {
  EXPECT_TRUE(LoadPlugin(PARLAB_TEST_PLUGIN).ok());
  KernelParams params = FindKernel("sumsq")->Defaults();
  params.set_n(n);
  Result<LocalTask> task = LocalTask::Prepare(params, 1);
  EXPECT_TRUE(task.ok()) << task.status().ToString();
  TaskRecord record;
  task->Run(0, KernelContext{}, record);
  return record.checksum;
}

TEST(PluginCliTest, RunsInEveryModeWithTheAnswerComputedHere) {
  const double expected = ExpectedChecksum(5000);
  ASSERT_GT(expected, 0);
  const std::vector<std::vector<std::string>> modes = {{"--mode", "seq"},
                                                       {"--mode", "threads"},
                                                       {"--mode", "gil"},
                                                       {"--mode", "blas"},
                                                       {"--mode", "procs"},
                                                       {"--mode", "hybrid"},
                                                       {"--mode", "procs", "--transport", "uds"}};
  for (const std::vector<std::string>& mode : modes) {
    std::vector<std::string> args = {"--kernel", "sumsq", "--n", "5000"};
    args.insert(args.end(), mode.begin(), mode.end());
    const Ran ran = RunPlugin(args);
    ASSERT_EQ(ran.exit_code, 0) << mode[1] << ":\n" << ran.output;
    EXPECT_EQ(ran.summary.workload(), "sumsq");
    EXPECT_EQ(ran.summary.tasks_failed(), 0);
    EXPECT_EQ(ran.summary.checksum(), expected) << mode[1];
  }
}

TEST(PluginCliTest, WithoutKernelTheKernelIsThePluginsFirst) {
  const Ran ran = RunPlugin({"--mode", "procs"});
  ASSERT_EQ(ran.exit_code, 0) << ran.output;
  EXPECT_EQ(ran.summary.workload(), "sumsq");
  EXPECT_EQ(ran.summary.checksum(), ExpectedChecksum(1000));  // the plugin's default n
}

TEST(PluginCliTest, CompareAndTimeitTakeThePluginToo) {
  ParlabProcess compare({"compare", "--plugin", PARLAB_TEST_PLUGIN, "--kernel", "sumsq", "--modes",
                         "threads,procs", "--tasks", "4", "--warmup", "0", "--trials", "2"});
  EXPECT_EQ(compare.Wait(), 0) << compare.output();
  EXPECT_NE(compare.output().find("sumsq"), std::string::npos) << compare.output();
  ExpectNothingLeft(compare.pid());
  const auto [code, output] = RunParlab(
      {"timeit", "--plugin", PARLAB_TEST_PLUGIN, "--kernel", "sumsq", "--loops", "3", "-r", "2"});
  EXPECT_EQ(code, 0) << output;
}

TEST(PluginCliTest, AJobFileMayNameAPluginsKernel) {
  const std::string path =
      ::testing::TempDir() + "plugin_cli_job_" + std::to_string(getpid()) + ".textproto";
  std::ofstream(path) << "workload: \"sumsq\"\nparams { n: 2000 }\nmode: \"procs\"\n";
  const Ran ran = RunPlugin({"--job", path});
  std::remove(path.c_str());
  ASSERT_EQ(ran.exit_code, 0) << ran.output;
  EXPECT_EQ(ran.summary.workload(), "sumsq");
  EXPECT_EQ(ran.summary.mode(), "procs");
  EXPECT_EQ(ran.summary.checksum(), ExpectedChecksum(2000));
}

TEST(PluginCliTest, AKernelThatAlwaysCrashesEndsInTheGiveUpRule) {
  // Every task kills its worker: the replacements die in a row with nothing
  // answered, and the job gives up instead of forking forever. A sanitizer
  // would catch the SIGSEGV and exit its own way: leave it to the kernel.
  const ScopedSegvToKernel segv_to_kernel;
  const Ran ran = RunPlugin({"--kernel", "crash", "--mode", "procs", "--max-attempts", "2"});
  EXPECT_EQ(ran.exit_code, kExitFailed) << ran.output;
  EXPECT_NE(ran.output.find("workers died in a row with no task answered; giving up"),
            std::string::npos)
      << ran.output;
  EXPECT_NE(ran.output.find("killed by signal 11"), std::string::npos) << ran.output;
}

TEST(PluginCliTest, ACrashOnceIsRequeuedAndTheJobSucceeds) {
  const std::string marker =
      ::testing::TempDir() + "plugin_cli_crash_once_" + std::to_string(getpid());
  std::remove(marker.c_str());
  const ScopedEnv env("PARLAB_TEST_CRASH_MARKER", marker);
  const ScopedSegvToKernel segv_to_kernel;
  // One task in flight per worker: the crash costs exactly that one task.
  const Ran ran = RunPlugin({"--kernel", "crash_once", "--mode", "procs", "--inflight", "1"});
  std::remove(marker.c_str());
  ASSERT_EQ(ran.exit_code, 0) << ran.output;
  EXPECT_EQ(ran.summary.tasks_failed(), 0);
  EXPECT_EQ(ran.summary.tasks_retried(), 1) << ran.output;
  EXPECT_NE(ran.output.find("killed by signal 11"), std::string::npos) << ran.output;
  EXPECT_EQ(ran.summary.checksum(), ExpectedChecksum(1000));
}

struct BadPlugin {
  std::string name;
  std::vector<std::string> args;  // after `run`
  std::string expected;           // part of the message
};

class PluginCliBadTest : public ::testing::TestWithParam<BadPlugin> {};

TEST_P(PluginCliBadTest, ExitsWithTwoBeforeAnythingStarts) {
  std::vector<std::string> args = {"run"};
  args.insert(args.end(), GetParam().args.begin(), GetParam().args.end());
  args.insert(args.end(), {"--mode", "procs", "--workers", "2", "--tasks", "4"});
  ParlabProcess parlab(args);
  EXPECT_EQ(parlab.Wait(), kExitUsage) << parlab.output();
  EXPECT_NE(parlab.output().find(GetParam().expected), std::string::npos)
      << "expected '" << GetParam().expected << "' in:\n"
      << parlab.output();
  ExpectNothingLeft(parlab.pid());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PluginCliBadTest,
    ::testing::Values(BadPlugin{"MissingFile",
                                {"--plugin", "/nonexistent/libmine.so"},
                                "--plugin /nonexistent/libmine.so: no such file"},
                      BadPlugin{
                          "WrongAbi",
                          {"--plugin", PARLAB_TEST_PLUGIN_WRONG_ABI},
                          "was built for kernel ABI version 99, this parlab speaks version 1"},
                      BadPlugin{"NoPlugin",
                                {"--plugin", PARLAB_TEST_PLUGIN_NO_ENTRY},
                                "is no parlab kernel plugin: it has no symbol parlab_plugin_entry"},
                      BadPlugin{"UnknownKernel",
                                {"--plugin", PARLAB_TEST_PLUGIN, "--kernel", "nope"},
                                "--kernel: no kernel 'nope' in plugin"},
                      BadPlugin{"BuiltInsName",
                                {"--plugin", PARLAB_TEST_PLUGIN_CLASH},
                                "kernel 'sum' has the name of another kernel"},
                      BadPlugin{"PluginsOwnValidation",
                                {"--plugin", PARLAB_TEST_PLUGIN, "--kernel", "sumsq", "--n", "0"},
                                "sumsq: n must be 1..10000000, got 0"}),
    [](const ::testing::TestParamInfo<BadPlugin>& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace parlab
