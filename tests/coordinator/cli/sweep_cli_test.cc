// `parlab sweep` and `parlab metg` with the real binaries: the CSV's
// structure and its internal consistency (a speedup is the reference's wall
// over the point's; efficiency is speedup over p; Karp–Flatt follows from
// both), the JSON's, the text chart when gnuplot is missing, and the exit
// code and message of each bad input. Never a timing.
// PARLAB_BIN names the parlab binary (set by CMake).
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "proto/parlab.pb.h"
#include "tests/support/parlab_process.h"

namespace parlab {
namespace {

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.push_back("");
  return parts;
}

TEST(SweepCliTest, CsvHasOneConsistentRowPerModeAndWorkerCount) {
  const ParlabRun ran = RunParlabShell(
      "sweep noop --workers 1,2 --modes threads,procs --trials 1 --warmup 0 --tasks 200 --csv");
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  EXPECT_EQ(ran.err.find('\r'), std::string::npos);  // no progress line off a terminal
  std::vector<std::string> lines = Split(ran.out, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();  // the last newline
  ASSERT_EQ(lines.size(), 6u) << ran.out;  // header, seq, threads 1 2, procs 1 2
  EXPECT_EQ(lines[0],
            "mode,workers,parallel_units,oversubscribed,wall_mean_s,wall_std_s,speedup,"
            "efficiency,karp_flatt,ipc_share,amdahl_serial_fraction,amdahl_residual_rms,"
            "possible_speedup");
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 1; i < lines.size(); ++i) {
    rows.push_back(Split(lines[i], ','));
    ASSERT_EQ(rows.back().size(), 13u) << lines[i];
  }
  EXPECT_EQ(rows[0][0], "seq");
  EXPECT_EQ(rows[0][6], "1");
  const double reference_s = std::stod(rows[0][4]);
  ASSERT_GT(reference_s, 0);
  const char* expected[][2] = {{"threads", "1"}, {"threads", "2"}, {"procs", "1"}, {"procs", "2"}};
  for (size_t i = 1; i < rows.size(); ++i) {
    const std::vector<std::string>& row = rows[i];
    EXPECT_EQ(row[0], expected[i - 1][0]);
    EXPECT_EQ(row[1], expected[i - 1][1]);
    EXPECT_EQ(row[2], row[1]);  // threads and procs: one unit per worker
    const double p = std::stod(row[2]);
    const double wall = std::stod(row[4]);
    const double speedup = std::stod(row[6]);
    ASSERT_GT(wall, 0);
    EXPECT_NEAR(speedup, reference_s / wall, 1e-6 * speedup);
    EXPECT_NEAR(std::stod(row[7]), speedup / p, 1e-6 * speedup);
    if (p == 1) {
      EXPECT_EQ(row[8], "");  // Karp–Flatt is undefined at p = 1
    } else {
      const double e = (1 / speedup - 1 / p) / (1 - 1 / p);  // printed to 9 digits
      EXPECT_NEAR(std::stod(row[8]), e, 1e-6 * std::max(1.0, std::abs(e)));
    }
    const double ipc = std::stod(row[9]);
    EXPECT_GE(ipc, 0);
    EXPECT_LE(ipc, 1);
    // The Amdahl fit is the mode's: the same on each of its rows, within [0, 1].
    EXPECT_EQ(row[10], rows[i % 2 == 1 ? i : i - 1][10]);
    EXPECT_TRUE(row[3] == "true" || row[3] == "false") << row[3];
  }
}

TEST(SweepCliTest, JsonMarksOversubscriptionAgainstTheUsableCores) {
  const ParlabRun ran = RunParlabShell(
      "sweep noop --workers 1,3 --modes gil --trials 1 --warmup 0 --tasks 60 --json");
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  pb::SweepReport report;
  google::protobuf::util::JsonParseOptions options;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ran.out, &report, options).ok())
      << ran.out;
  EXPECT_EQ(report.workload(), "noop");
  EXPECT_EQ(report.tasks(), 60);
  EXPECT_EQ(report.reference().mode(), "seq");
  EXPECT_EQ(report.reference().trials(), 2);  // one per round of each worker count
  ASSERT_EQ(report.series_size(), 1);
  const pb::SweepSeries& gil = report.series(0);
  EXPECT_EQ(gil.mode(), "gil");
  ASSERT_EQ(gil.points_size(), 2);
  for (const pb::SweepPoint& point : gil.points()) {
    EXPECT_EQ(point.oversubscribed(), point.parallel_units() > report.usable_cores());
    EXPECT_EQ(point.summary().mode(), "gil");
    EXPECT_EQ(point.summary().workers(), point.workers());
    EXPECT_EQ(point.has_karp_flatt(), point.parallel_units() > 1);
  }
  EXPECT_EQ(gil.amdahl().points(),
            1 + (gil.points(1).oversubscribed() ? 0 : 1));  // oversubscribed: not fitted
  // The ceiling was probed before each worker count's stage and after the last.
  EXPECT_EQ(report.ceiling().probes_size(), 3);
  EXPECT_GT(report.ceiling().speedup(), 0);
  EXPECT_EQ(report.ceiling().cores(), report.usable_cores());
  EXPECT_DOUBLE_EQ(gil.points(0).possible_speedup(), 1.0);  // one unit: 1×
}

TEST(SweepCliTest, WithoutGnuplotTheChartIsPrintedInstead) {
  const std::string plot =
      ::testing::TempDir() + "sweep_cli_test_" + std::to_string(getpid()) + ".png";
  const ParlabRun ran = RunParlabShell(
      "sweep noop --workers 1,2 --modes threads --trials 1 --warmup 0 "
      "--tasks 50 --plot " +
          plot,
      "PARLAB_GNUPLOT=/no/such/gnuplot");
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  EXPECT_NE(ran.out.find("parlab sweep noop"), std::string::npos) << ran.out;
  EXPECT_NE(ran.out.find("Amdahl fit"), std::string::npos);
  EXPECT_NE(ran.out.find("T threads"), std::string::npos) << ran.out;
  EXPECT_NE(ran.err.find("gnuplot is not installed"), std::string::npos) << ran.err;
  EXPECT_FALSE(std::filesystem::exists(plot));
}

TEST(SweepCliTest, GnuplotFailingIsAnError) {
  const std::string plot =
      ::testing::TempDir() + "sweep_cli_test_" + std::to_string(getpid()) + ".svg";
  const ParlabRun ran = RunParlabShell(
      "sweep noop --workers 1 --modes threads --trials 1 --warmup 0 "
      "--tasks 20 --plot " +
          plot,
      "PARLAB_GNUPLOT=/bin/false");
  EXPECT_EQ(ran.exit_code, 1) << ran.out << ran.err;
  EXPECT_NE(ran.err.find("did not draw " + plot), std::string::npos) << ran.err;
}

TEST(SweepCliTest, BadInputIsRefusedBeforeAnythingRuns) {
  struct Case {
    const char* args;
    const char* says;
  };
  for (const Case& c : {
           Case{"sweep noop --workers 1,0", "--workers: 0 is out of range"},
           Case{"sweep noop --workers 1,x", "'x'"},
           Case{"sweep noop --modes threads,fibres", "unknown mode 'fibres'"},
           Case{"sweep noop --modes seq", "at least one parallel mode"},
           Case{"sweep noop --plot sweep.pdf", "unsupported extension '.pdf'"},
           Case{"sweep noop --plot /no/such/dir/s.png", "does not exist"},
           Case{"sweep noop --csv --json", "--json excludes --csv"},
           Case{"sweep noop --markdown --json", "--json excludes --markdown"},
           Case{"sweep nosuch", "unknown workload"},
           Case{"metg --modes fibres", "unknown mode"},
           Case{"metg --min-us 0", "--min-us"},
           Case{"metg --min-us 10 --max-us 5", "--max-us"},
           Case{"metg --factor 1", "--factor"},
       }) {
    const ParlabRun ran = RunParlabShell(c.args);
    EXPECT_EQ(ran.exit_code, 2) << c.args << "\n" << ran.err;
    EXPECT_NE(ran.err.find(c.says), std::string::npos) << c.args << "\n" << ran.err;
    EXPECT_EQ(ran.out, "") << c.args;
  }
}

TEST(SweepCliTest, MetgReportsOneEstimatePerMode) {
  const ParlabRun ran = RunParlabShell(
      "metg --modes threads,gil --workers 2 --min-us 100 --max-us 400 --trial-ms 5 "
      "--trials 1 --warmup 0 --json");
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  pb::MetgReport report;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ran.out, &report).ok()) << ran.out;
  EXPECT_EQ(report.workers(), 2);
  EXPECT_EQ(report.min_us(), 100);
  EXPECT_EQ(report.max_us(), 400);
  EXPECT_DOUBLE_EQ(report.efficiency_target(), 0.5);
  ASSERT_EQ(report.modes_size(), 2);
  EXPECT_EQ(report.modes(0).mode(), "threads");
  EXPECT_EQ(report.modes(1).mode(), "gil");
  for (const pb::MetgMode& mode : report.modes()) {
    EXPECT_EQ(mode.parallel_units(), 2);
    ASSERT_GE(mode.points_size(), 1);
    ASSERT_LE(mode.points_size(), 3);  // 100, 200, 400 µs; fewer once 50% is reached
    int64_t previous_us = 0;
    bool reached_before = false;
    for (const pb::MetgPoint& point : mode.points()) {
      EXPECT_GT(point.spin_us(), previous_us);
      previous_us = point.spin_us();
      EXPECT_FALSE(reached_before) << "a mode stops at the first step that reaches 50%";
      reached_before = point.efficiency() >= 0.5;
      EXPECT_GT(point.task_duration_s(), 0);
      EXPECT_NEAR(
          point.efficiency(),
          static_cast<double>(point.tasks()) * point.task_duration_s() / 2 / point.wall_mean_s(),
          1e-9 * point.efficiency());
    }
    EXPECT_EQ(mode.reached(), reached_before);
    if (mode.reached()) {
      EXPECT_GT(mode.metg_s(), 0);
      EXPECT_LE(mode.metg_s(), mode.points(mode.points_size() - 1).task_duration_s() * 1.000001);
    } else {
      EXPECT_EQ(mode.points_size(), 3);
    }
  }
}

}  // namespace
}  // namespace parlab
