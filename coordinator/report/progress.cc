#include "coordinator/report/progress.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <utility>

namespace parlab {

std::string FormatEta(double seconds) {
  const auto s = static_cast<int64_t>(std::ceil(std::max(0.0, seconds)));
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  const int64_t minutes = (s + 59) / 60;
  return fmt::format("{}h{:02}m", minutes / 60, minutes % 60);
}

std::string FormatCount(double count) {
  if (count >= 1e6) return fmt::format("{:.2f}M", count * 1e-6);
  if (count >= 1e4) return fmt::format("{:.1f}k", count * 1e-3);
  return fmt::format("{:.0f}", count);
}

namespace {

// "<line> | <stage>", cut to `columns`.
std::string EndLine(std::string line, const std::string& stage, size_t columns) {
  if (!stage.empty()) line += " | " + stage;
  if (line.size() > columns) line.resize(columns);
  return line;
}

}  // namespace

std::string FormatProgressLine(const ProgressSnapshot& snapshot, int width) {
  const size_t columns = static_cast<size_t>(std::max(1, width - 1));
  const double elapsed_s = static_cast<double>(snapshot.elapsed_ns) * 1e-9;
  if (snapshot.duration_ns > 0) {
    const int64_t left_ns = std::max<int64_t>(0, snapshot.duration_ns - snapshot.elapsed_ns);
    const auto percent =
        static_cast<int>(100 * (snapshot.duration_ns - left_ns) / snapshot.duration_ns);
    std::string line = fmt::format("parlab: {:3}% {} {}", percent, snapshot.done, snapshot.unit);
    if (snapshot.done > 0 && elapsed_s > 0) {
      line += fmt::format(", {}/s", FormatCount(static_cast<double>(snapshot.done) / elapsed_s));
    }
    line += ", ETA " + FormatEta(static_cast<double>(left_ns) / 1e9);
    return EndLine(std::move(line), snapshot.stage, columns);
  }
  if (snapshot.total == 0 && snapshot.done == 0 && !snapshot.stage.empty()) {
    return EndLine("parlab: " + snapshot.stage, "", columns);
  }
  const int64_t total = std::max<int64_t>(snapshot.total, snapshot.done);
  const int percent = total > 0 ? static_cast<int>(100 * snapshot.done / total) : 0;
  std::string line =
      fmt::format("parlab: {:3}% {}/{} {}", percent, snapshot.done, total, snapshot.unit);
  if (snapshot.done > 0 && elapsed_s > 0) {
    const double rate = static_cast<double>(snapshot.done) / elapsed_s;
    line += fmt::format(", {}/s, ETA {}", FormatCount(rate),
                        FormatEta(static_cast<double>(total - snapshot.done) / rate));
  } else {
    line += ", ETA ?";
  }
  return EndLine(std::move(line), snapshot.stage, columns);
}

Progress::Progress(std::ostream& sink, bool enabled, int width, const Clock& clock,
                   int64_t total_tasks)
    : sink_(sink),
      enabled_(enabled),
      width_(width),
      clock_(clock),
      start_ns_(clock.NowNs()),
      count_start_ns_(start_ns_),
      total_(total_tasks) {}

std::unique_ptr<Progress> Progress::OnStderr(int64_t total_tasks) {
  const bool terminal = isatty(STDERR_FILENO) == 1;
  int width = 80;
  winsize size{};
  if (terminal && ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    width = size.ws_col;
  }
  return std::make_unique<Progress>(std::cerr, terminal, width, MonotonicClock::Get(), total_tasks);
}

Progress::~Progress() { Clear(); }

void Progress::SetStage(std::string stage) {
  stage_ = std::move(stage);
  MaybeDraw();
}

void Progress::AddDone(int64_t tasks) {
  done_ += tasks;
  MaybeDraw();
}

void Progress::Advance(int64_t tasks, std::string next_stage) {
  done_ += tasks;
  stage_ = std::move(next_stage);
  MaybeDraw();
}

void Progress::AddTotal(int64_t tasks) { total_ = std::max<int64_t>(0, total_ + tasks); }

void Progress::StartCount(int64_t total_tasks) {
  done_ = 0;
  total_ = std::max<int64_t>(0, total_tasks);
  count_start_ns_ = clock_.NowNs();
}

void Progress::Clear() {
  if (shown_length_ == 0) return;
  sink_ << '\r' << std::string(shown_length_, ' ') << '\r' << std::flush;
  shown_length_ = 0;
  last_draw_ns_ = -1;
}

void Progress::MaybeDraw() {
  if (!enabled_) return;
  const int64_t now_ns = clock_.NowNs();
  if (now_ns - start_ns_ < kQuietNs) return;
  if (last_draw_ns_ >= 0 && now_ns - last_draw_ns_ < kRedrawNs) return;
  const std::string line = FormatProgressLine(
      {done_, total_, now_ns - count_start_ns_, stage_, unit_, duration_ns_}, width_);
  // Spaces cover what is left of a longer previous line.
  const size_t pad = shown_length_ > line.size() ? shown_length_ - line.size() : 0;
  sink_ << '\r' << line << std::string(pad, ' ') << std::flush;
  shown_length_ = std::max(line.size(), shown_length_);
  last_draw_ns_ = now_ns;
}

}  // namespace parlab
