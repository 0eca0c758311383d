#include "coordinator/command/command_feed.h"

#include <cstdlib>
#include <cstring>
#include <utility>

#include "coordinator/observe/log_writer.h"
#include "coordinator/report/progress.h"
#include "coordinator/runtime/segment_size.h"
#include "shared/clock.h"
#include "shared/platform/child_process.h"
#include "shared/platform/command_task.h"
#include "shared/utf8.h"

namespace parlab {
namespace {

Result<int64_t> ParseCount(const std::string& text, const std::string& whole) {
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || end == nullptr || *end != '\0' || value < 1) {
    return InvalidArgument("--halt: '" + whole + "' needs a count N (N ≥ 1) or a share N%");
  }
  return static_cast<int64_t>(value);
}

}  // namespace

Result<HaltRule> ParseHalt(const std::string& text) {
  HaltRule rule;
  if (text.empty() || text == "never" || text == "0") return rule;
  // GNU parallel's older spellings.
  if (text == "1" || text == "2") return ParseHalt(text == "1" ? "soon,fail=1" : "now,fail=1");
  const std::string forms =
      "now|soon,fail=N, now|soon,success=N, with N or N%, or never; got '" + text + "'";
  const size_t comma = text.find(',');
  const std::string when = text.substr(0, comma);
  if (when == "now") {
    rule.when = HaltRule::When::kNow;
  } else if (when == "soon") {
    rule.when = HaltRule::When::kSoon;
  } else {
    return InvalidArgument("--halt must be " + forms);
  }
  const std::string condition = comma == std::string::npos ? "" : text.substr(comma + 1);
  std::string count;
  if (condition.rfind("fail=", 0) == 0) {
    rule.why = HaltRule::Why::kFail;
    count = condition.substr(5);
  } else if (condition.rfind("success=", 0) == 0) {
    rule.why = HaltRule::Why::kSuccess;
    count = condition.substr(8);
  } else {
    return InvalidArgument("--halt: after '" + when + ",' comes fail=N or success=N (N or N%); " +
                           "it must be " + forms);
  }
  if (!count.empty() && count.back() == '%') {
    count.pop_back();
    PARLAB_ASSIGN_OR_RETURN(int64_t percent, ParseCount(count, text));
    if (percent > 100) return InvalidArgument("--halt: a share above 100% in '" + text + "'");
    rule.percent = static_cast<double>(percent);
  } else {
    PARLAB_ASSIGN_OR_RETURN(rule.count, ParseCount(count, text));
  }
  return rule;
}

CommandFeed::CommandFeed(const pb::CommandJob& job, CommandTemplate command, HaltRule halt,
                         CommandInputs& inputs, std::unordered_map<uint64_t, std::string> done,
                         Sinks sinks)
    : job_(job),
      command_(std::move(command)),
      halt_(halt),
      source_(inputs),
      done_(std::move(done)),
      sinks_(sinks),
      copy_buffer_(64 * 1024) {}

void CommandFeed::TakeEntries() {
  for (const pb::CommandEntry& entry : job_.entries()) {
    std::string line;
    for (const std::string& word : entry.argv())
      line += (line.empty() ? "" : " ") + ShellQuote(word);
    entry_lines_.push_back(std::move(line));
  }
  for (int e = 0; e < job_.entries_size(); ++e) {
    const std::string& line = entry_lines_[static_cast<size_t>(e)];
    for (int64_t r = 0; r < job_.entries(e).repeat(); ++r) {
      ++seq_;
      auto done = done_.find(seq_);
      if (done != done_.end() && done->second == line) {
        ++skipped_;
        continue;
      }
      inputs_.push_back({std::string(), seq_, e});
    }
  }
  if (sinks_.progress != nullptr) sinks_.progress->AddTotal(static_cast<int64_t>(inputs_.size()));
  closed_ = true;
}

uint64_t CommandFeed::Known() {
  if (closed_ || Halting()) return inputs_.size();
  if (job_.entries_size() > 0) {
    TakeEntries();  // all known at once, as ::: arguments are
    return inputs_.size();
  }
  arrived_.clear();
  source_.TakeNew(arrived_);
  const size_t before = inputs_.size();
  for (std::string& text : arrived_) {
    ++seq_;
    auto done = done_.find(seq_);
    if (done != done_.end() && done->second == text) {
      ++skipped_;
      continue;
    }
    size_t bytes = 0;
    for (const std::string& word : command_.Argv(text, seq_)) bytes += word.size() + 1;
    if (bytes > kMaxCommandLineBytes && error_.ok()) {
      error_ = InvalidArgument("input " + std::to_string(seq_) + " makes a command line of " +
                               std::to_string(bytes) + " bytes; at most " +
                               std::to_string(kMaxCommandLineBytes) + " are taken");
    }
    inputs_.push_back({std::move(text), seq_});
  }
  if (sinks_.progress != nullptr && inputs_.size() > before) {
    sinks_.progress->AddTotal(static_cast<int64_t>(inputs_.size() - before));
  }
  if (source_.Ended()) {
    closed_ = true;
    if (Status read = source_.status(); !read.ok() && error_.ok()) error_ = read;
  }
  return inputs_.size();
}

std::string CommandFeed::PathOf(uint64_t seq, const char* extension) const {
  const std::string& dir = job_.output_dir().empty() ? job_.run_dir() : job_.output_dir();
  return dir + "/" + std::to_string(seq) + "." + extension;
}

void CommandFeed::Describe(uint64_t slot, pb::CommandTask& command) {
  const Input& input = inputs_[slot];
  if (input.entry >= 0) {
    for (const std::string& word : job_.entries(input.entry).argv()) command.add_argv(word);
  } else {
    for (std::string& word : command_.Argv(input.text, input.seq)) {
      command.add_argv(std::move(word));
    }
  }
  command.set_stdout_path(PathOf(input.seq, "out"));
  command.set_stderr_path(PathOf(input.seq, "err"));
  command.set_keep_files(!job_.output_dir().empty());
  command.set_timeout_ms(job_.timeout_ms());
  command.set_inline_limit(static_cast<int64_t>(kCommandInlineBytes));
}

void CommandFeed::Settled(uint64_t slot, const TaskRecord& record, const TaskAnswer* answer) {
  Pending pending;
  pending.record = record;
  if (answer != nullptr) {
    // Kept (--keep-order may hold it) as a message: the answer points into
    // a frame that is gone once the call returns.
    pending.answer.set_id(answer->id);
    pending.answer.set_status(answer->status);
    pending.answer.set_error(std::string(answer->error));
    if (answer->command != nullptr) *pending.answer.mutable_command() = *answer->command;
    pending.answered = true;
  }
  if (!job_.keep_order()) {
    Emit(slot, pending);
    return;
  }
  waiting_.emplace(slot, std::move(pending));
  for (auto next = waiting_.find(next_in_order_); next != waiting_.end();
       next = waiting_.find(next_in_order_)) {
    Emit(next->first, next->second);
    waiting_.erase(next);
    ++next_in_order_;
  }
}

void CommandFeed::Flush() {
  for (auto& [slot, pending] : waiting_) Emit(slot, pending);
  waiting_.clear();
}

void CommandFeed::WriteStream(std::FILE* to, const std::string& data, bool in_file,
                              const std::string& path) {
  bool wrote = false;
  if (!data.empty()) {
    wrote = std::fwrite(data.data(), 1, data.size(), to) == data.size();
  }
  if (in_file) {
    // Too big to travel: the worker wrote it to the run directory.
    if (std::FILE* file = std::fopen(path.c_str(), "rb")) {
      size_t n = 0;
      while ((n = std::fread(copy_buffer_.data(), 1, copy_buffer_.size(), file)) > 0) {
        std::fwrite(copy_buffer_.data(), 1, n, to);
      }
      std::fclose(file);
      wrote = true;
    }
    std::remove(path.c_str());
  }
  if (wrote) std::fflush(to);
}

void CommandFeed::Emit(uint64_t slot, Pending& pending) {
  const Input& input = inputs_[slot];
  TaskRecord& record = pending.record;
  pb::CommandOutcome outcome;
  if (pending.answered) outcome = std::move(*pending.answer.mutable_command());
  if (job_.output_dir().empty()) {
    const bool prints = !outcome.stdout_data().empty() || !outcome.stderr_data().empty() ||
                        outcome.stdout_in_file() || outcome.stderr_in_file();
    if (prints && sinks_.progress != nullptr) sinks_.progress->Clear();
    WriteStream(sinks_.out, outcome.stdout_data(), outcome.stdout_in_file(),
                PathOf(input.seq, "out"));
    WriteStream(sinks_.err, outcome.stderr_data(), outcome.stderr_in_file(),
                PathOf(input.seq, "err"));
  }
  record.t.collected_ns = NowNs();
  outcome.clear_stdout_data();
  outcome.clear_stderr_data();
  outcome.set_t_collected_ns(record.t.collected_ns);
  outcome.set_input(ValidUtf8(TextOf(input)));
  outcome.set_seq(input.seq);
  outcome.set_command_line(ValidUtf8(LineOf(input)));
  if (!pending.answered) outcome.set_exit_code(-1);

  std::string why;
  if (record.outcome != TaskOutcome::kOk) {
    why = pending.answered
              ? pending.answer.error()
              : "its worker died on every attempt" +
                    (record.signal != 0 ? " (" + SignalName(record.signal) + ")" : std::string());
    if (!pending.answered && record.outcome == TaskOutcome::kFailed) why = "not run: halted";
    ++failed_;
    if (failures_.size() < kFailuresKept) {
      failures_.push_back({input.seq, TextOf(input), why, outcome.stderr_tail()});
    }
  }
  if (sinks_.log != nullptr) {
    pb::TaskRecord line = ToProto(record);
    line.set_error(why);
    *line.mutable_command() = std::move(outcome);
    if (Status s = sinks_.log->AppendFull(line); !s.ok() && error_.ok()) error_ = s;
  }
  records_.push_back(record);
  ++settled_;
  if (sinks_.progress != nullptr) sinks_.progress->AddDone(1);
  CheckHalt();
}

void CommandFeed::CheckHalt() {
  if (halt_.when == HaltRule::When::kNever || Halting()) return;
  const bool on_failures = halt_.why == HaltRule::Why::kFail;
  const uint64_t counted = on_failures ? failed_ : settled_ - failed_;
  if (counted == 0) return;
  const bool by_count = halt_.count > 0 && static_cast<int64_t>(counted) >= halt_.count;
  const bool by_share =
      halt_.percent > 0 && settled_ >= 3 &&
      static_cast<double>(counted) * 100.0 >= halt_.percent * static_cast<double>(settled_);
  if (!by_count && !by_share) return;
  halted_ = halt_.when;
  halt_reason_ = "--halt " + job_.halt() + ": " + std::to_string(counted) + " of " +
                 std::to_string(settled_) + " task(s) " + (on_failures ? "failed" : "succeeded") +
                 "; " +
                 (halted_ == HaltRule::When::kNow ? "the running ones were killed"
                                                  : "no new task was started");
}

}  // namespace parlab
