#pragma once
// The progress line of a long command: ONE line on a terminal, rewritten in
// place with '\r' and erased at the end, saying tasks done / total, the rate,
// the time left and what runs now ("procs, 4 workers"). It stays silent for
// the first second (a short run leaves no trace) and altogether when the sink
// is not a terminal, so pipes and files never get control characters.
//
// It advances per task: the modes report tasks as they finish
// (runtime/mode.h TaskDoneListener), on the coordinator's thread, so a long
// trial moves the line as it goes. (A ticking thread is avoided because the
// coordinator forks workers.)
// Not synchronised: one owner thread.

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>

#include "shared/clock.h"

namespace parlab {

struct ProgressSnapshot {
  int64_t done = 0;            // tasks finished
  int64_t total = 0;           // tasks planned
  int64_t elapsed_ns = 0;      // since the progress began
  std::string stage;           // what runs now, e.g. "procs, 4 workers"
  std::string unit = "tasks";  // what done and total count
  int64_t duration_ns = 0;     // > 0: the run ends by the clock, not the count
};

// "parlab: 24% 1200/5000 tasks, 812/s, ETA 5s | procs, 4 workers" (its unit
// in place of "tasks" where one is set), ASCII only
// ("parlab: sizing the probes" while no task is counted: nothing to count yet;
// "parlab:  40% 24000 tasks, 812/s, ETA 36s" for a run that ends by the clock,
// whose share and ETA are its time's)
// and cut to width - 1 columns (writing the last column makes some terminals
// wrap, and a wrapped line can no longer be rewritten with '\r').
std::string FormatProgressLine(const ProgressSnapshot& snapshot, int width);

// 4.2 -> "5s", 184 -> "3m04s", 7300 -> "2h02m" (rounded up: an ETA is a promise).
std::string FormatEta(double seconds);
// 812 -> "812", 81234 -> "81.2k", 2.5e6 -> "2.50M".
std::string FormatCount(double count);

class Progress {
 public:
  // Draws on `sink` only when `enabled`; `width` is the terminal's columns.
  // `clock` must outlive the progress.
  Progress(std::ostream& sink, bool enabled, int width, const Clock& clock, int64_t total_tasks);
  // On stderr when stderr is a terminal (as wide as it is), silent otherwise.
  static std::unique_ptr<Progress> OnStderr(int64_t total_tasks);
  ~Progress();  // erases the line
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void SetStage(std::string stage);
  // What the counts count, "tasks" unless set: a command whose tasks differ
  // by orders of magnitude (bench gemm's sizes) counts their work instead, so
  // that the rate and the ETA hold.
  void SetUnit(std::string unit) { unit_ = std::move(unit); }
  void AddDone(int64_t tasks);
  // Both at once, drawn once: `tasks` finished and `next_stage` starts now
  // (the line then names what runs, not what just ended).
  void Advance(int64_t tasks, std::string next_stage);
  // The plan changed (metg drops a mode's remaining steps); may be negative.
  void AddTotal(int64_t tasks);
  // The run ends when `duration_ns` have passed since the count began, however
  // many tasks that takes (chaos --duration): the line counts the tasks done
  // and takes its share and its ETA from the clock. 0: ends by the count.
  void SetDuration(int64_t duration_ns) { duration_ns_ = duration_ns; }
  // A new count on the same line, for a command whose steps are not all
  // known at its start (the tour): 0 of `total_tasks` done, the rate and ETA
  // measured from now. Draws nothing itself (the next SetStage or AddDone
  // does); the first quiet second counts from the construction only.
  void StartCount(int64_t total_tasks);
  // Erases the line if it is shown, before anything else is printed; later
  // updates draw it again.
  void Clear();

  int64_t done() const { return done_; }
  int64_t total() const { return total_; }

 private:
  void MaybeDraw();

  // Nothing is shown before a second has passed, and the line is redrawn at
  // most ten times a second: drawing costs a write(2) to the terminal.
  static constexpr int64_t kQuietNs = 1'000'000'000;
  static constexpr int64_t kRedrawNs = 100'000'000;

  std::ostream& sink_;
  const bool enabled_;
  const int width_;
  const Clock& clock_;
  const int64_t start_ns_;
  int64_t count_start_ns_;  // start_ns_, or the last StartCount
  int64_t total_;
  int64_t done_ = 0;
  std::string stage_;
  std::string unit_ = "tasks";
  int64_t duration_ns_ = 0;
  int64_t last_draw_ns_ = -1;  // -1: never drawn
  size_t shown_length_ = 0;    // characters on the terminal now; 0: nothing shown
};

}  // namespace parlab
