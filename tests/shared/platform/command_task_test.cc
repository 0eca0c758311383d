#include "shared/platform/command_task.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "shared/platform/fd_pair.h"
#include "tests/support/process_waits.h"

namespace parlab {
namespace {

namespace fs = std::filesystem;

class CommandTaskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("parlab-command-task-test-" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  pb::CommandTask Task(std::vector<std::string> argv) {
    pb::CommandTask task;
    for (auto& word : argv) task.add_argv(word);
    task.set_stdout_path((dir_ / "1.out").string());
    task.set_stderr_path((dir_ / "1.err").string());
    task.set_inline_limit(1024);
    return task;
  }
  pb::TaskResult Run(const pb::CommandTask& task, int cancel_fd = -1) {
    pb::TaskResult result;
    RunCommandTask(task, cancel_fd, result);
    return result;
  }
  static std::string Slurp(const fs::path& path) {
    std::stringstream text;
    text << std::ifstream(path).rdbuf();
    return text.str();
  }

  fs::path dir_;
};

TEST_F(CommandTaskTest, CapturesBothStreamsAndTheStamps) {
  const pb::TaskResult r = Run(Task({"/bin/sh", "-c", "echo out; echo err >&2"}));
  EXPECT_EQ(r.status(), pb::TASK_OK) << r.error();
  const pb::CommandOutcome& c = r.command();
  EXPECT_EQ(c.exit_code(), 0);
  EXPECT_EQ(c.stdout_data(), "out\n");
  EXPECT_EQ(c.stderr_data(), "err\n");
  EXPECT_EQ(c.stderr_tail(), "err\n");
  EXPECT_FALSE(c.stdout_in_file());
  EXPECT_FALSE(fs::exists(dir_ / "1.out"));  // small: nothing written
  EXPECT_LE(r.t_compute_start_ns(), c.t_spawn_ns());
  EXPECT_LE(c.t_spawn_ns(), c.t_spawned_ns());
  EXPECT_LE(c.t_spawned_ns(), c.t_exited_ns());
  EXPECT_LE(c.t_exited_ns(), r.t_compute_end_ns());
}

TEST_F(CommandTaskTest, ReportsTheExitCodeAndTheSignal) {
  pb::TaskResult r = Run(Task({"/bin/sh", "-c", "exit 3"}));
  EXPECT_EQ(r.status(), pb::TASK_FAILED);
  EXPECT_EQ(r.command().exit_code(), 3);
  EXPECT_EQ(r.error(), "exited with code 3");
  r = Run(Task({"/bin/sh", "-c", "kill -SEGV $$"}));
  EXPECT_EQ(r.status(), pb::TASK_FAILED);
  EXPECT_EQ(r.command().signal(), SIGSEGV);
  EXPECT_EQ(r.command().exit_code(), -1);
}

TEST_F(CommandTaskTest, AMissingProgramIs127WithTheReason) {
  const pb::TaskResult r = Run(Task({"parlab-no-such-program-xyz"}));
  EXPECT_EQ(r.status(), pb::TASK_FAILED);
  EXPECT_EQ(r.command().exit_code(), 127);
  EXPECT_NE(r.command().stderr_data().find("parlab-no-such-program-xyz"), std::string::npos);
}

TEST_F(CommandTaskTest, ATimeoutKillsTheWholeProcessGroup) {
  // The shell starts a background sleeper that says its pid, waits until it
  // has, and sleeps; the timeout must end the sleeper too, not only the shell.
  const std::string pid_file = (dir_ / "sleeper.pid").string();
  pb::CommandTask task = Task({"/bin/sh", "-c",
                               "sh -c 'echo $$ > " + pid_file + "; exec sleep 30' & while [ ! -s " +
                                   pid_file + " ]; do sleep 0.01; done; sleep 30"});
  task.set_timeout_ms(1000);
  const pb::TaskResult r = Run(task);
  EXPECT_EQ(r.status(), pb::TASK_TIMED_OUT);
  EXPECT_TRUE(r.command().timed_out());
  EXPECT_EQ(r.command().signal(), SIGKILL);
  pid_t sleeper = 0;
  std::ifstream(pid_file) >> sleeper;
  ASSERT_GT(sleeper, 0) << "the sleeper did not start within the timeout";
  // Killed with its group; gone, or a zombie for its new parent to reap.
  EXPECT_TRUE(WaitFor([&] { return !ProcessRuns(sleeper); }, std::chrono::seconds(10)))
      << "the background sleeper " << sleeper << " outlived the timeout";
  kill(sleeper, SIGKILL);  // in case: no sleeper outlives the test
}

TEST_F(CommandTaskTest, AnOutputBeyondTheInlineLimitGoesToItsFile) {
  const pb::TaskResult r = Run(Task({"/bin/sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x"}));
  ASSERT_EQ(r.status(), pb::TASK_OK) << r.error();
  EXPECT_TRUE(r.command().stdout_in_file());
  EXPECT_TRUE(r.command().stdout_data().empty());
  EXPECT_EQ(r.command().stdout_bytes(), 100000);
  EXPECT_EQ(fs::file_size(dir_ / "1.out"), 100000u);
  EXPECT_EQ(r.command().stdout_tail(), std::string(kCommandTailBytes, 'x'));
}

TEST_F(CommandTaskTest, KeepFilesWritesTheOutputsThereEvenEmpty) {
  pb::CommandTask task = Task({"/bin/sh", "-c", "echo hi"});
  task.set_keep_files(true);
  const pb::TaskResult r = Run(task);
  ASSERT_EQ(r.status(), pb::TASK_OK) << r.error();
  EXPECT_EQ(Slurp(dir_ / "1.out"), "hi\n");
  EXPECT_TRUE(fs::exists(dir_ / "1.err"));
  EXPECT_EQ(r.command().stdout_bytes(), 3);
  EXPECT_EQ(r.command().stdout_tail(), "hi\n");
}

TEST_F(CommandTaskTest, ACancelDescriptorKillsTheCommand) {
  Result<std::pair<UniqueFd, UniqueFd>> pipe = MakePipe();
  ASSERT_TRUE(pipe.ok());
  pipe->second.Reset();  // closed write end: readable at once
  const pb::TaskResult r = Run(Task({"sleep", "30"}), pipe->first.get());
  EXPECT_EQ(r.status(), pb::TASK_FAILED);
  EXPECT_NE(r.error().find("cancelled"), std::string::npos);
  EXPECT_EQ(r.command().signal(), SIGKILL);
}

}  // namespace
}  // namespace parlab
