#pragma once
// CommandFeed: the TaskFeed of a command job. It numbers the inputs as they
// arrive ({#}, from 1) — or a job file's listed commands (CommandJob.entries,
// each expanded `repeat` times, its argv as it is; its line stands for its
// input in the log and for --resume) — skips those a --resume log holds as done, makes each
// task's command line (CommandTemplate) and, as each task settles, writes
// its output out — whole, never interleaved with another task's, as tasks
// end or in input order (--keep-order) — stamps its collection, logs its
// record with its input, exit and output tails, counts failures and decides
// a --halt. Driven from the coordinator's thread (the mode's RunTrial).

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "coordinator/command/command_inputs.h"
#include "coordinator/command/command_line.h"
#include "coordinator/runtime/record_sink.h"
#include "coordinator/runtime/task_feed.h"

namespace parlab {

class Progress;

// When a command job stops early (--halt, GNU parallel's rule): WHEN,WHY=VAL.
// now kills the running tasks, soon lets them finish; either starts no new
// one. It halts on failed tasks (fail) or on tasks that succeeded (success),
// at VAL of them, or at VAL% of the tasks settled so far (once at least 3
// have). The exit code still counts the failed tasks.
struct HaltRule {
  enum class When { kNever, kSoon, kNow };
  enum class Why { kFail, kSuccess };
  When when = When::kNever;
  Why why = Why::kFail;
  int64_t count = 0;   // halt at this many tasks of the kind
  double percent = 0;  // or at this share of the settled ones (at least 3 settled)
};
// "never" (or "" or "0"), "now,fail=1", "soon,fail=3", "now,fail=10%",
// "now,success=1", "soon,success=50%"; GNU parallel's old "1" (soon,fail=1)
// and "2" (now,fail=1). Errors name --halt.
Result<HaltRule> ParseHalt(const std::string& text);

// A task that failed, for the summary.
struct CommandFailure {
  uint64_t seq = 0;
  std::string input;
  std::string why;  // "exited with code 1", "ran past --task-timeout 100 ms"
  std::string stderr_tail;
};

class CommandFeed final : public TaskFeed {
 public:
  struct Sinks {
    std::FILE* out = stdout;  // the tasks' stdout, unless --output-dir
    std::FILE* err = stderr;  // their stderr
    RecordSink* log = nullptr;
    Progress* progress = nullptr;
  };
  // `done` (from --resume): input numbers to skip, with the input each had.
  CommandFeed(const pb::CommandJob& job, CommandTemplate command, HaltRule halt,
              CommandInputs& inputs, std::unordered_map<uint64_t, std::string> done, Sinks sinks);

  uint64_t Known() override;
  bool Closed() const override { return closed_; }
  bool Halting() const override { return halted_ != HaltRule::When::kNever; }
  bool StopNow() const override { return halted_ == HaltRule::When::kNow || !error_.ok(); }
  void Describe(uint64_t slot, pb::CommandTask& command) override;
  void Settled(uint64_t slot, const TaskRecord& record, const TaskAnswer* answer) override;

  // After the run: writes out what --keep-order still holds (tasks after
  // one that never settled, in a halted job).
  void Flush();

  // An error that stopped the job (a log that cannot be written, an input
  // unreadable part-way, a command line too long); ok otherwise.
  const Status& error() const { return error_; }
  uint64_t tasks() const { return inputs_.size(); }
  uint64_t settled() const { return settled_; }
  uint64_t failed() const { return failed_; }
  uint64_t skipped() const { return skipped_; }
  const std::string& halt_reason() const { return halt_reason_; }
  const std::vector<CommandFailure>& first_failures() const { return failures_; }
  // Every settled task's record (with its command stamps), in settling order.
  const std::vector<TaskRecord>& records() const { return records_; }

  static constexpr size_t kFailuresKept = 5;

 private:
  struct Input {
    std::string text;  // empty for a listed command: its entry's line says it
    uint64_t seq = 0;
    int entry = -1;  // CommandJob.entries index, or -1 for an input
  };
  const std::string& TextOf(const Input& input) const {
    return input.entry < 0 ? input.text : entry_lines_[static_cast<size_t>(input.entry)];
  }
  std::string LineOf(const Input& input) const {
    return input.entry < 0 ? command_.Line(input.text, input.seq) : TextOf(input);
  }
  void TakeEntries();
  struct Pending {
    TaskRecord record;
    pb::TaskResult answer;
    bool answered = false;
  };

  void Emit(uint64_t slot, Pending& pending);
  void WriteStream(std::FILE* to, const std::string& data, bool in_file, const std::string& path);
  std::string PathOf(uint64_t seq, const char* extension) const;
  void CheckHalt();

  pb::CommandJob job_;
  CommandTemplate command_;
  HaltRule halt_;
  CommandInputs& source_;
  std::unordered_map<uint64_t, std::string> done_;
  Sinks sinks_;
  std::vector<Input> inputs_;             // by slot
  std::vector<std::string> entry_lines_;  // each listed command as a shell would run it
  std::vector<std::string> arrived_;      // reused by Known
  uint64_t seq_ = 0;                      // inputs numbered so far, skipped ones included
  bool closed_ = false;
  HaltRule::When halted_ = HaltRule::When::kNever;
  std::string halt_reason_;
  Status error_;
  uint64_t settled_ = 0, failed_ = 0, skipped_ = 0;
  std::vector<CommandFailure> failures_;
  std::vector<TaskRecord> records_;
  std::map<uint64_t, Pending> waiting_;  // --keep-order: settled, behind an earlier one
  uint64_t next_in_order_ = 0;           // --keep-order: the slot printed next
  std::vector<char> copy_buffer_;
};

}  // namespace parlab
