// `parlab run --cmd` end to end, through the real binaries (PARLAB_BIN, set
// by CMake): quoting, exit codes, signals, timeouts, retries, halts, resume,
// keep-order, output directories, streams, threads, and `analyse` on the
// log. Small jobs of tiny commands; checks outcomes, never timings.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "coordinator/report/json_output.h"
#include "proto/report.pb.h"
#include "tests/support/parlab_process.h"
#include "tests/support/process_waits.h"

namespace parlab {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  return text.str();
}

size_t CountOf(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

class RunCmdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("run_cmd_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

TEST_F(RunCmdTest, AFileNameWithSpacesAndQuotesIsOneArgument) {
  const std::string odd = "my \"odd\" file's name.txt";
  std::ofstream(Path(odd)) << "12345";
  std::ofstream(Path("plain.txt")) << "1";
  std::ofstream(Path("list.txt")) << Path(odd) << "\n" << Path("plain.txt") << "\n";
  for (const char* mode : {"procs", "threads"}) {
    const ParlabRun run =
        RunParlabShell("run --mode " + std::string(mode) +
                       " --workers 2 --keep-order --cmd 'wc -c {}' --inputs " + Path("list.txt"));
    ASSERT_EQ(run.exit_code, 0) << mode << "\n" << run.err;
    EXPECT_EQ(run.out, "5 " + Path(odd) + "\n1 " + Path("plain.txt") + "\n") << mode;
    EXPECT_NE(run.err.find("2 task(s)"), std::string::npos) << run.err;
  }
}

TEST_F(RunCmdTest, TheExitCodeCountsTheFailedTasksAndTheSummaryNamesThem) {
  const ParlabRun run = RunParlabShell(
      "run --workers 2 --cmd \"sh -c 'echo oops \\$0 >&2; exit \\$0' {}\" ::: 0 3 0 5");
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("2 ok, 2 failed"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("#2 3: exited with code 3; stderr: oops 3"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("#4 5: exited with code 5"), std::string::npos) << run.err;
}

TEST_F(RunCmdTest, TheLogHoldsStatusSignalAndTails) {
  const ParlabRun run = RunParlabShell(
      "run --workers 2 --log " + Path("run.jsonl") +
      " --cmd \"sh -c 'echo said \\$0; [ \\$0 = k ] && kill -TERM \\$\\$; exit 0' {}\" ::: a k");
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const std::string log = ReadFile(Path("run.jsonl"));
  EXPECT_EQ(CountOf(log, "\"status\":"), 2u) << log;
  EXPECT_NE(log.find("\"signal\":15"), std::string::npos) << log;
  EXPECT_NE(log.find("\"stdout_tail\":\"said a\\n\""), std::string::npos) << log;
  EXPECT_NE(log.find("\"input\":\"k\""), std::string::npos) << log;
}

TEST_F(RunCmdTest, ATaskTimeoutKillsTheCommand) {
  const ParlabRun run = RunParlabShell("run --task-timeout 200 --cmd 'sleep 30' ::: 1");
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("--task-timeout 200 ms"), std::string::npos) << run.err;
}

TEST_F(RunCmdTest, MaxAttemptsRunsAFailedCommandAgain) {
  // Fails the first time (it leaves a mark), succeeds the second.
  const std::string once = "--cmd \"sh -c 'if [ -e \\$0 ]; then exit 0; fi; touch \\$0; exit 1' " +
                           Path("{#}.mark") + "\" ::: a b";
  ParlabRun run = RunParlabShell("run --workers 2 " + once);
  EXPECT_EQ(run.exit_code, 2) << run.err;  // one attempt each by default, as GNU parallel
  fs::remove(Path("1.mark"));
  fs::remove(Path("2.mark"));
  run = RunParlabShell("run --workers 2 --max-attempts 2 --log " + Path("r.jsonl") + " " + once);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(CountOf(ReadFile(Path("r.jsonl")), "\"attempt\":2"), 2u);
}

TEST_F(RunCmdTest, HaltNowStopsAtTheFirstFailure) {
  const ParlabRun run = RunParlabShell(
      "run --workers 1 --inflight 1 --halt now,fail=1 --cmd \"sh -c 'echo ran \\$0; exit \\$0' "
      "{}\" ::: 1 0 0 0 0 0");
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.out, "ran 1\n");
  EXPECT_NE(run.err.find("halted: --halt now,fail=1"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("5 input(s) not run"), std::string::npos) << run.err;
}

// Each form of --halt stops a run early, one task at a time so the order
// is known: `exit N` for an input N.
TEST_F(RunCmdTest, HaltOnSuccessesAndOnShares) {
  const std::string exit_with =
      "--workers 1 --inflight 1 --cmd \"sh -c 'echo ran \\$0; exit \\$0' {}\" ::: ";
  // The first success stops it; the failure before it still counts.
  ParlabRun run = RunParlabShell("run --halt soon,success=1 " + exit_with + "1 0 0 0");
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.out, "ran 1\nran 0\n");
  EXPECT_NE(run.err.find("halted: --halt soon,success=1: 1 of 2 task(s) succeeded"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("2 input(s) not run"), std::string::npos) << run.err;
  // 50% of the settled ones failed, once 3 have settled: after the third.
  run = RunParlabShell("run --halt now,fail=50% " + exit_with + "0 1 1 0 0 0");
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(run.out, "ran 0\nran 1\nran 1\n");
  EXPECT_NE(run.err.find("2 of 3 task(s) failed"), std::string::npos) << run.err;
  // 60% succeeded: after the third (2 of 3), not the second (1 of 2 is below 3 settled).
  run = RunParlabShell("run --halt now,success=60% " + exit_with + "1 0 0 1 1");
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.out, "ran 1\nran 0\nran 0\n");
  EXPECT_NE(run.err.find("2 input(s) not run"), std::string::npos) << run.err;
}

// --json: the report is stdout's last line, after the tasks' own output,
// and says what the text summary says.
TEST_F(RunCmdTest, JsonReportsTheRunAsItsLastLine) {
  for (const char* mode : {"procs", "threads"}) {
    const ParlabRun run = RunParlabShell(
        "run --json --mode " + std::string(mode) +
        " --workers 2 --keep-order --cmd \"sh -c 'echo said \\$0; echo oops >&2; exit \\$0'\" "
        "::: 0 3");
    EXPECT_EQ(run.exit_code, 1) << run.err;
    const size_t last = run.out.rfind('\n', run.out.size() - 2);
    ASSERT_NE(last, std::string::npos) << run.out;
    EXPECT_EQ(run.out.substr(0, last + 1), "said 0\nsaid 3\n");
    pb::CommandRunReport report;
    const Status read = FromJson(run.out.substr(last + 1), report);
    ASSERT_TRUE(read.ok()) << read.message() << "\n" << run.out;
    EXPECT_EQ(report.mode(), mode);
    EXPECT_EQ(report.workers(), 2);
    EXPECT_EQ(report.tasks(), 2u);
    EXPECT_EQ(report.ok(), 1u);
    EXPECT_EQ(report.failed(), 1u);
    EXPECT_EQ(report.exit_code(), 1);
    ASSERT_EQ(report.phases_size(), 5);
    EXPECT_EQ(report.phases(0).name(), "spawn");
    ASSERT_EQ(report.first_failures_size(), 1);
    EXPECT_EQ(report.first_failures(0).seq(), 2u);
    EXPECT_EQ(report.first_failures(0).why(), "exited with code 3");
    EXPECT_EQ(report.first_failures(0).stderr_tail(), "oops");
    // The summary is the JSON, not text on stderr as well.
    EXPECT_EQ(run.err.find("task(s) on"), std::string::npos) << run.err;
  }
}

// A command job in a job file: its inputs file is found next to it (parlab
// runs elsewhere), flags override it, and a task list of argvs runs as listed.
TEST_F(RunCmdTest, AJobFileHoldsACommandJob) {
  std::ofstream(Path("in.txt")) << "p\nq\n";
  std::ofstream(Path("job.textproto"))
      << "command { cmd: \"echo got {}\" inputs: \"in.txt\" keep_order: true }\nworkers: 2\n";
  ParlabRun run = RunParlabShell("run --job " + Path("job.textproto"));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "got p\ngot q\n");
  run = RunParlabShell("run --job " + Path("job.textproto") + " --mode threads ::: z");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "got z\n");
  EXPECT_NE(run.err.find("in threads"), std::string::npos) << run.err;

  std::ofstream(Path("list.textproto")) << "task { command: [\"echo\", \"a b\"] repeat: 2 }\n"
                                        << "task { command: [\"sh\", \"-c\", \"exit 3\"] }\n";
  run = RunParlabShell("run --job " + Path("list.textproto") + " --dry-run");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "echo 'a b'\necho 'a b'\nsh -c 'exit 3'\n");
  run = RunParlabShell("run --job " + Path("list.textproto") + " --keep-order --log " +
                       Path("list.jsonl"));
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.out, "a b\na b\n");
  EXPECT_NE(run.err.find("#3 sh -c 'exit 3': exited with code 3"), std::string::npos) << run.err;
  EXPECT_EQ(CountOf(ReadFile(Path("list.jsonl")), "\"command_line\":\"echo 'a b'\""), 2u);
  // --cmd and a job file are two templates: refused.
  EXPECT_EQ(RunParlabShell("run --job " + Path("job.textproto") + " --cmd true ::: a").exit_code,
            2);
}

TEST_F(RunCmdTest, ResumeSkipsWhatTheLogRecordsAsDone) {
  const std::string cmd =
      "--workers 2 --cmd \"sh -c 'echo ran \\$0; [ -e " + Path("fixed") + " ] || [ \\$0 != b ]'\"";
  ParlabRun run = RunParlabShell("run --log " + Path("1.jsonl") + " " + cmd + " ::: a b c");
  EXPECT_EQ(run.exit_code, 1) << run.err;
  std::ofstream(Path("fixed")) << "";
  run = RunParlabShell("run --resume " + Path("1.jsonl") + " --log " + Path("2.jsonl") + " " + cmd +
                       " ::: a b c");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "ran b\n");
  EXPECT_NE(run.err.find("2 input(s) skipped"), std::string::npos) << run.err;
  EXPECT_NE(ReadFile(Path("2.jsonl")).find("\"seq\":\"2\""), std::string::npos);
}

TEST_F(RunCmdTest, KeepOrderPrintsInInputOrderOtherwiseAsTasksEnd) {
  // a waits until c has ended (c leaves a mark), so c's output would come
  // first: --keep-order holds it back.
  const std::string cmd =
      "--workers 3 --cmd \"sh -c 'if [ \\$0 = a ]; then while [ ! -e " + Path("c.done") +
      " ]; do sleep 0.01; done; sleep 0.3; fi; echo \\$0; if [ \\$0 = c ]; then touch " +
      Path("c.done") + "; fi'\" ::: a b c";
  ParlabRun run = RunParlabShell("run --keep-order " + cmd);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "a\nb\nc\n");
  // Without it, a waits until parlab has printed c's line (its stdout is a
  // file, flushed per task): a line held back for input order never comes,
  // and a gives up after 10 s and prints first, which fails the test.
  const std::string printed = Path("printed.txt");
  run = RunParlabShell(
      "run --workers 3 --cmd \"sh -c 'if [ \\$0 = a ]; then i=0; while ! grep -qx c " + printed +
      " && [ \\$i -lt 1000 ]; do i=\\$((i+1)); sleep 0.01; done; fi; "
      "echo \\$0'\" ::: a b c > " +
      printed);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const std::string out = ReadFile(printed);
  EXPECT_LT(out.find("c\n"), out.find("a\n")) << out;
}

TEST_F(RunCmdTest, OutputDirHoldsEachTasksStreams) {
  const ParlabRun run =
      RunParlabShell("run --output-dir " + Path("out") +
                     " --cmd \"sh -c 'echo out \\$0; echo err \\$0 >&2'\" ::: x y");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(ReadFile(Path("out/1.out")), "out x\n");
  EXPECT_EQ(ReadFile(Path("out/2.err")), "err y\n");
}

TEST_F(RunCmdTest, ABigOutputArrivesWholeAndShellModeRunsPipes) {
  const ParlabRun run =
      RunParlabShell("run --shell --cmd 'head -c {} /dev/zero | tr \"\\000\" x' ::: 100000 3");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.size(), 100003u);
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), 'x'), 100003);
}

TEST_F(RunCmdTest, StdinIsReadAsAStream) {
  const ParlabRun run =
      RunParlabShell("run --keep-order --cmd 'echo got' --inputs -", "printf 'a b\\nc\\n' |");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "got a b\ngot c\n");
}

TEST_F(RunCmdTest, DryRunPrintsTheCommandsAndRunsNothing) {
  const ParlabRun run =
      RunParlabShell("run --dry-run --cmd 'touch {}' ::: '" + Path("x y") + "' " + Path("z"));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "touch '" + Path("x y") + "'\ntouch " + Path("z") + "\n");
  EXPECT_FALSE(fs::exists(Path("z")));
}

TEST_F(RunCmdTest, BadInputIsAUsageError) {
  EXPECT_EQ(RunParlabShell("run --cmd 'echo {}'").exit_code, 2);  // no inputs
  EXPECT_EQ(RunParlabShell("run --cmd \"echo 'open\" ::: a").exit_code, 2);
  EXPECT_EQ(RunParlabShell("run --halt later --cmd true ::: a").exit_code, 2);
  EXPECT_EQ(RunParlabShell("run --mode gil --cmd true ::: a").exit_code, 2);
  EXPECT_EQ(RunParlabShell("run --cmd true --inputs " + Path("missing")).exit_code, 2);
}

TEST_F(RunCmdTest, AnalyseShowsTheCommandPhases) {
  std::ofstream list(Path("list.txt"));
  for (int i = 0; i < 40; ++i) {
    std::ofstream(Path("f" + std::to_string(i))) << i;
    list << Path("f" + std::to_string(i)) << "\n";
  }
  list.close();
  const ParlabRun run = RunParlabShell("run --workers 2 --log " + Path("a.jsonl") +
                                       " --cmd 'cat {}' --inputs " + Path("list.txt"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(CountOf(ReadFile(Path("a.jsonl")), "\"status\":\"TASK_OK\""), 40u);
  const ParlabRun analysed = RunParlabShell("analyse " + Path("a.jsonl"));
  ASSERT_EQ(analysed.exit_code, 0) << analysed.err;
  for (const char* part :
       {"command tasks", "spawn", "exec", "run", "exit", "collection", "start-up", "40 tasks"}) {
    EXPECT_NE(analysed.out.find(part), std::string::npos) << part << "\n" << analysed.out;
  }
}

TEST_F(RunCmdTest, InterruptingParlabKillsTheRunningCommands) {
  for (const char* mode : {"procs", "threads"}) {
    // Each command writes its pid, then becomes a long sleep in its own process group.
    ParlabProcess parlab({"run", "--mode", mode, "--workers", "2", "--cmd",
                          "sh -c 'echo $$ > " + Path("{#}.pid") + "; exec sleep 30'", ":::", "a",
                          "b"});
    std::vector<pid_t> pids;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (pids.size() < 2 && std::chrono::steady_clock::now() < deadline) {
      pids.clear();
      for (const char* name : {"1.pid", "2.pid"}) {
        std::ifstream file(Path(name));
        pid_t pid = 0;
        if (file >> pid && pid > 0) pids.push_back(pid);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));  // waiting for the files
    }
    ASSERT_EQ(pids.size(), 2u) << mode;
    kill(parlab.pid(), SIGINT);  // parlab alone, not the commands' groups
    EXPECT_EQ(parlab.Wait(), 130) << mode << "\n" << parlab.output();
    // Gone, or going: a worker slow to stop is SIGKILLed after a grace, and
    // its command then dies through PR_SET_PDEATHSIG, a moment later.
    for (pid_t pid : pids) {
      EXPECT_TRUE(WaitFor([&] { return !ProcessRuns(pid); }, std::chrono::seconds(10)))
          << mode << ": command " << pid << " lives on";
      kill(pid, SIGKILL);  // in case: no sleeper outlives the test
    }
    fs::remove(Path("1.pid"));
    fs::remove(Path("2.pid"));
  }
}

}  // namespace
}  // namespace parlab
