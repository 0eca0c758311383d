#include "coordinator/command/command_feed.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "coordinator/runtime/task_ledger.h"

namespace parlab {
namespace {

TEST(CommandFeedTest, ParsesHaltRules) {
  EXPECT_EQ(ParseHalt("")->when, HaltRule::When::kNever);
  EXPECT_EQ(ParseHalt("never")->when, HaltRule::When::kNever);
  Result<HaltRule> now = ParseHalt("now,fail=1");
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->when, HaltRule::When::kNow);
  EXPECT_EQ(now->why, HaltRule::Why::kFail);
  EXPECT_EQ(now->count, 1);
  Result<HaltRule> soon = ParseHalt("soon,fail=20%");
  ASSERT_TRUE(soon.ok());
  EXPECT_EQ(soon->when, HaltRule::When::kSoon);
  EXPECT_EQ(soon->why, HaltRule::Why::kFail);
  EXPECT_EQ(soon->percent, 20.0);
  EXPECT_EQ(soon->count, 0);
  Result<HaltRule> success = ParseHalt("now,success=3");
  ASSERT_TRUE(success.ok());
  EXPECT_EQ(success->when, HaltRule::When::kNow);
  EXPECT_EQ(success->why, HaltRule::Why::kSuccess);
  EXPECT_EQ(success->count, 3);
  Result<HaltRule> share = ParseHalt("soon,success=50%");
  ASSERT_TRUE(share.ok());
  EXPECT_EQ(share->when, HaltRule::When::kSoon);
  EXPECT_EQ(share->why, HaltRule::Why::kSuccess);
  EXPECT_EQ(share->percent, 50.0);
  // GNU parallel's older spellings.
  EXPECT_EQ(ParseHalt("0")->when, HaltRule::When::kNever);
  EXPECT_EQ(ParseHalt("1")->when, HaltRule::When::kSoon);
  EXPECT_EQ(ParseHalt("1")->count, 1);
  EXPECT_EQ(ParseHalt("2")->when, HaltRule::When::kNow);
  EXPECT_EQ(ParseHalt("2")->why, HaltRule::Why::kFail);
  for (const char* bad :
       {"later,fail=1", "now", "now,fail=0", "now,fail=x", "now,fail=101%", "now,done=1",
        "soon,success=0", "soon,success=", "soon,success=5%%", "3", "now,fail=1,success=1"}) {
    Result<HaltRule> rule = ParseHalt(bad);
    ASSERT_FALSE(rule.ok()) << bad;
    EXPECT_NE(rule.status().message().find("--halt"), std::string::npos) << bad;
  }
}

// The feed over a ledger, as a mode drives them, without any process: the
// answers are made up here.
class FeedFixture : public ::testing::Test {
 protected:
  pb::TaskResult Answer(const TaskLedger& ledger, uint64_t slot, int exit_code,
                        const std::string& out) {
    pb::TaskResult result;
    result.set_id(slot);
    result.set_status(exit_code == 0 ? pb::TASK_OK : pb::TASK_FAILED);
    result.set_error(exit_code == 0 ? "" : "exited with code " + std::to_string(exit_code));
    result.mutable_command()->set_exit_code(exit_code);
    result.mutable_command()->set_stdout_data(out);
    (void)ledger;
    return result;
  }
};

TEST_F(FeedFixture, KeepOrderWritesOutputsInInputOrderWhole) {
  std::unique_ptr<CommandInputs> inputs = CommandInputs::Fixed({"a", "b", "c"});
  pb::CommandJob job;
  job.set_template_("echo {}");
  job.set_keep_order(true);
  job.set_run_dir("/nonexistent");
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  CommandFeed::Sinks sinks;
  sinks.out = out;
  sinks.err = out;
  CommandFeed feed(job, *CommandTemplate::Parse("echo {}", false), HaltRule{}, *inputs, {}, sinks);
  TaskLedger ledger(0, 0, 0, /*workers=*/1, /*max_attempts=*/1);
  ledger.set_feed(&feed);
  ledger.PullFeed();
  ASSERT_TRUE(feed.Closed());
  for (int i = 0; i < 3; ++i) ledger.Take(0, 1, static_cast<uint64_t>(i));
  // They end in reverse order; keep-order prints a, b, c.
  for (uint64_t slot : {2, 1, 0}) {
    ASSERT_TRUE(
        ledger.Answer(0, AnswerOf(Answer(ledger, slot, 0, "out-" + std::to_string(slot) + "\n")), 2)
            .ok());
  }
  EXPECT_TRUE(ledger.Complete());
  std::rewind(out);
  char text[64] = {};
  const size_t n = std::fread(text, 1, sizeof(text) - 1, out);
  std::fclose(out);
  EXPECT_EQ(std::string(text, n), "out-0\nout-1\nout-2\n");
  EXPECT_EQ(feed.settled(), 3u);
  EXPECT_EQ(feed.failed(), 0u);
}

TEST_F(FeedFixture, AFailedCommandRunsAgainWhileItHasAttempts) {
  std::unique_ptr<CommandInputs> inputs = CommandInputs::Fixed({"a"});
  pb::CommandJob job;
  job.set_run_dir("/nonexistent");
  std::FILE* out = std::tmpfile();
  CommandFeed::Sinks sinks;
  sinks.out = out;
  sinks.err = out;
  CommandFeed feed(job, *CommandTemplate::Parse("false", false), HaltRule{}, *inputs, {}, sinks);
  TaskLedger ledger(0, 0, 0, 1, /*max_attempts=*/2);
  ledger.set_feed(&feed);
  ledger.PullFeed();
  ledger.Take(0, 1, 0);
  ASSERT_TRUE(ledger.Answer(0, AnswerOf(Answer(ledger, 0, 1, "")), 2).ok());
  EXPECT_FALSE(ledger.Complete());  // requeued, not settled
  ASSERT_TRUE(ledger.HasWork());
  ledger.Take(0, 3, 1);
  EXPECT_EQ(ledger.record(0).attempt, 2);
  ASSERT_TRUE(ledger.Answer(0, AnswerOf(Answer(ledger, 0, 1, "")), 4).ok());
  EXPECT_TRUE(ledger.Complete());
  EXPECT_EQ(feed.failed(), 1u);
  ASSERT_EQ(feed.first_failures().size(), 1u);
  EXPECT_EQ(feed.first_failures()[0].why, "exited with code 1");
  std::fclose(out);
}

TEST_F(FeedFixture, ResumeSkipsInputsRecordedDone) {
  std::unique_ptr<CommandInputs> inputs = CommandInputs::Fixed({"a", "b", "c"});
  pb::CommandJob job;
  job.set_run_dir("/nonexistent");
  // 1 was done with the same input; 3 was done with another input: it runs.
  std::unordered_map<uint64_t, std::string> done = {{1, "a"}, {3, "other"}};
  CommandFeed feed(job, *CommandTemplate::Parse("true", false), HaltRule{}, *inputs, done, {});
  EXPECT_EQ(feed.Known(), 2u);
  EXPECT_EQ(feed.skipped(), 1u);
  pb::CommandTask command;
  feed.Describe(0, command);
  EXPECT_EQ(command.argv(1), "b");
  EXPECT_EQ(command.stdout_path(), "/nonexistent/2.out");  // {#} stays the input's number
}

}  // namespace
}  // namespace parlab
