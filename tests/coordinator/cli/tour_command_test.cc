// Runs `parlab tour --quick --json` once (the real binary, its workers, and
// Python when present) and checks every section's presence and that its
// numbers are consistent with each other, and that the pure loops were sized
// by time (from the figures the report recorded). No timing is asserted.

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include "coordinator/notebook/tour_section.h"
#include "coordinator/report/report_format.h"
#include "coordinator/runtime/task_grain.h"
#include "proto/parlab.pb.h"
#include "shared/platform/subprocess.h"

namespace parlab {
namespace {

std::string Parlab() {
  const char* path = std::getenv("PARLAB_BIN");
  return path != nullptr ? path : "parlab";
}

bool Near(double a, double b) {
  return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b)) + 1e-15;
}

class TourCommandTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The limits of this file's runs add up to less than ctest's TIMEOUT
    // (600 s), so a hung tour fails here with its own output, not as a bare
    // timeout: 360 + 120 + 60 s. A quick tour takes ~10 s in a release build.
    Result<std::string> out = RunSubprocess({Parlab(), "tour", "--quick", "--json"}, 360);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    const std::string line = LastJsonLine(*out);
    ASSERT_FALSE(line.empty()) << *out;
    report_ = new pb::TourReport;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, report_).ok()) << line;
  }
  static void TearDownTestSuite() { delete report_; }
  static pb::TourReport* report_;
};
pb::TourReport* TourCommandTest::report_ = nullptr;

TEST_F(TourCommandTest, EverySectionRanInOrder) {
  ASSERT_NE(report_, nullptr);
  EXPECT_TRUE(report_->quick());
  ASSERT_EQ(report_->sections_size(), static_cast<int>(TourSections().size()));
  for (int i = 0; i < report_->sections_size(); ++i) {
    const pb::TourSection& section = report_->sections(i);
    EXPECT_EQ(section.name(), TourSections()[static_cast<size_t>(i)].name);
    EXPECT_FALSE(section.title().empty());
    EXPECT_FALSE(section.explanation().empty());
    EXPECT_GT(section.duration_s(), 0);
    EXPECT_GT(section.rows_size() + section.facts_size(), 0) << section.name();
    EXPECT_GT(section.conclusions_size(), 0) << section.name();
    for (const std::string& note : section.notes()) {
      EXPECT_EQ(note.find("the section failed"), std::string::npos) << section.name() << note;
    }
  }
  EXPECT_GT(report_->wall_s(), 0);
  EXPECT_GT(report_->expected_s(), 0);
  EXPECT_FALSE(report_->python().empty());
}

TEST_F(TourCommandTest, SpeedupsAreTheRatiosOfTheTimesAndGflopsOfTheFlops) {
  ASSERT_NE(report_, nullptr);
  int speedups = 0;
  for (const pb::TourSection& section : report_->sections()) {
    std::map<std::string, const pb::TourRow*> by_label;
    for (const pb::TourRow& row : section.rows()) by_label[row.label()] = &row;
    for (const pb::TourRow& row : section.rows()) {
      const std::string where = section.name() + " / " + row.label();
      if (!row.reference().empty()) {
        ASSERT_EQ(by_label.count(row.reference()), 1u) << where << " against " << row.reference();
        EXPECT_TRUE(Near(row.speedup(), by_label[row.reference()]->mean_s() / row.mean_s()))
            << where;
        ++speedups;
      }
      if (row.flops() > 0) {
        EXPECT_TRUE(Near(row.gflops(), row.flops() / row.mean_s() * 1e-9)) << where;
      }
      if (row.times_s_size() > 0) {
        EXPECT_EQ(row.trials(), row.times_s_size()) << where;
        double sum = 0;
        for (double t : row.times_s()) sum += t;
        EXPECT_TRUE(Near(row.mean_s(), sum / row.times_s_size())) << where;
        EXPECT_DOUBLE_EQ(row.min_s(), *std::min_element(row.times_s().begin(), row.times_s().end()))
            << where;
        EXPECT_LE(row.ci95_low_s(), row.mean_s()) << where;
        EXPECT_GE(row.ci95_high_s(), row.mean_s()) << where;
      }
    }
  }
  EXPECT_GT(speedups, 20);
}

const pb::TourSection* Section(const pb::TourReport& report, const std::string& name) {
  for (const pb::TourSection& section : report.sections()) {
    if (section.name() == name) return &section;
  }
  return nullptr;
}

const pb::TourRow* Row(const pb::TourSection& section, const std::string& label) {
  for (const pb::TourRow& row : section.rows()) {
    if (row.label() == label) return &row;
  }
  return nullptr;
}

TEST_F(TourCommandTest, TheGilConclusionStatesTheMeasuredSpeedup) {
  ASSERT_NE(report_, nullptr);
  const pb::TourSection* gil = Section(*report_, "gil");
  ASSERT_NE(gil, nullptr);
  for (const char* label : {"sequential (2 tasks)", "2 threads", "2 threads under the lock (gil)",
                            "2 processes (procs)"}) {
    ASSERT_NE(Row(*gil, label), nullptr) << label;
  }
  const pb::TourRow* locked = Row(*gil, "2 threads under the lock (gil)");
  EXPECT_EQ(locked->mode(), "gil");
  EXPECT_EQ(locked->reference(), "sequential (2 tasks)");
  const std::string printed = fmt::format("{:.2f}×", locked->speedup());
  ASSERT_GT(gil->conclusions_size(), 0);
  EXPECT_NE(gil->conclusions(0).find(printed), std::string::npos) << gil->conclusions(0);
}

TEST_F(TourCommandTest, TheSummaryCoversEveryModeOfItsThreeWorkloads) {
  ASSERT_NE(report_, nullptr);
  const pb::TourSection* summary = Section(*report_, "summary");
  ASSERT_NE(summary, nullptr);
  for (const char* label :
       {"pure CPU, loop ×2: seq", "pure CPU, loop ×2: gil", "pure CPU, loop ×2: procs",
        "matmul ×10: blas", "I/O, sleep ×10: threads"}) {
    EXPECT_NE(Row(*summary, label), nullptr) << label;
  }
  // The decision guide reused these rows rather than measuring again.
  const pb::TourSection* decision = Section(*report_, "decision");
  ASSERT_NE(decision, nullptr);
  const pb::TourRow* reused = Row(*decision, "matmul ×10: blas");
  ASSERT_NE(reused, nullptr);
  EXPECT_EQ(reused->mean_s(), Row(*summary, "matmul ×10: blas")->mean_s());
  EXPECT_EQ(decision->conclusions_size(), 4);
}

// Issue 18: a pure-loop experiment's native task is sized by time. Checked on
// the figures the tour recorded (its TourGrains and rows), never by timing
// anything here: the chosen n at the measured cost of an iteration reaches
// the floor, the floor is above the dispatch cost measured in the same tour,
// and the rows ran at that n — the notebook's n only where labelled so.
TEST_F(TourCommandTest, PureLoopsRunTasksThatLastAtLeastTheFloor) {
  ASSERT_NE(report_, nullptr);
  std::map<std::string, const pb::TourGrain*> grains;
  for (const char* name : {"gil", "gil-released", "summary"}) {
    const pb::TourSection* section = Section(*report_, name);
    ASSERT_NE(section, nullptr) << name;
    ASSERT_EQ(section->grains_size(), 1) << name;
    const pb::TourGrain& grain = section->grains(0);
    grains[name] = &grain;
    const std::string where = std::string(name) + " / " + grain.experiment();
    EXPECT_GT(grain.iteration_s(), 0) << where;
    EXPECT_GT(grain.dispatch_s(), 0) << where;
    EXPECT_GE(grain.floor_s(), kMinGrainS) << where;
    EXPECT_GE(grain.floor_s() * (1 + 1e-12), kDispatchFactor * grain.dispatch_s()) << where;
    EXPECT_GE(grain.target_s(), grain.floor_s()) << where;
    EXPECT_GE(grain.target_s(), grain.python_task_s()) << where;
    EXPECT_TRUE(Near(grain.task_s(), static_cast<double>(grain.n()) * grain.iteration_s()))
        << where;
    EXPECT_GE(static_cast<double>(grain.n()) * grain.iteration_s(), grain.floor_s()) << where;
    EXPECT_GE(static_cast<double>(grain.n()) * grain.iteration_s(), grain.target_s()) << where;
    EXPECT_GE(grain.n(), grain.notebook_n()) << where;
    EXPECT_FALSE(grain.reason().empty()) << where;
    // The printed reason states the chosen task's length.
    EXPECT_NE(grain.reason().find(FormatSeconds(grain.task_s())), std::string::npos) << where;
  }
  // Python ran beside the tour: the summary's loop is sized by its task.
  if (report_->python().rfind("none:", 0) != 0) {
    EXPECT_GT(grains["summary"]->python_task_s(), 0);
    EXPECT_EQ(grains["summary"]->python_n(), grains["summary"]->notebook_n());
  }

  const pb::TourSection* gil = Section(*report_, "gil");
  for (const pb::TourRow& row : gil->rows()) {
    if (row.source() == "parlab") {
      EXPECT_EQ(row.n(), grains["gil"]->n()) << row.label();
    }
  }
  const pb::TourSection* summary = Section(*report_, "summary");
  int sized = 0, notebook = 0;
  for (const pb::TourRow& row : summary->rows()) {
    if (row.label().rfind("pure CPU, loop ×2: ", 0) == 0) {
      EXPECT_EQ(row.n(), grains["summary"]->n()) << row.label();
      ++sized;
    } else if (row.label().rfind("pure CPU, loop ×2 at the notebook's n: ", 0) == 0) {
      EXPECT_EQ(row.n(), grains["summary"]->notebook_n()) << row.label();
      ++notebook;
    }
  }
  EXPECT_EQ(sized, 4);
  EXPECT_EQ(notebook, 4);
  bool lesson = false;
  for (const std::string& conclusion : summary->conclusions()) {
    lesson =
        lesson || conclusion.rfind("at the notebook's n = 1,000,000 a native task lasts", 0) == 0;
  }
  EXPECT_TRUE(lesson);
  // The decision guide judges the loop on the sized rows, and says at which n.
  const pb::TourSection* decision = Section(*report_, "decision");
  bool judged = false;
  for (const std::string& conclusion : decision->conclusions()) {
    judged = judged ||
             conclusion.rfind(
                 "pure loops → processes (n = " + FormatGrainSize(grains["summary"]->n()), 0) == 0;
  }
  EXPECT_TRUE(judged);
}

TEST_F(TourCommandTest, ThreadVariablesAreReportedWithTheirEffect) {
  ASSERT_NE(report_, nullptr);
  const pb::TourSection* vars = Section(*report_, "thread-variables");
  ASSERT_NE(vars, nullptr);
  std::vector<std::string> names;
  for (const pb::TourFact& fact : vars->facts()) names.push_back(fact.name());
  for (const char* name : {"OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
  const pb::TourRow* omp = Row(*vars, "OMP_NUM_THREADS=1: OpenMP");
  ASSERT_NE(omp, nullptr);
  EXPECT_EQ(omp->value(), 1);  // the child started with OMP_NUM_THREADS=1
  EXPECT_EQ(omp->unit(), "threads");
}

TEST(TourCommandNoPythonTest, WithoutPythonTheSectionSaysSoAndGoesOn) {
  ChildSpec run;
  run.argv = {Parlab(), "tour", "--quick", "--json", "--section", "gil-released"};
  run.env["PARLAB_PYTHON"] = "/no/such/python3";
  Result<std::string> out = RunSubprocess(run, /*timeout_s=*/120);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  pb::TourReport report;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(LastJsonLine(*out), &report).ok());
  EXPECT_EQ(report.python().rfind("none:", 0), 0u) << report.python();
  ASSERT_EQ(report.sections_size(), 1);
  const pb::TourSection& section = report.sections(0);
  EXPECT_EQ(section.name(), "gil-released");
  bool said_so = false;
  for (const std::string& note : section.notes()) {
    said_so = said_so || note.rfind("Python: ", 0) == 0;
  }
  EXPECT_TRUE(said_so);
  for (const pb::TourRow& row : section.rows()) EXPECT_NE(row.source(), "python") << row.label();
  EXPECT_NE(Row(section, "sleep 20 ms: 2 threads under the lock"), nullptr);
}

TEST(TourCommandUsageTest, AnUnknownSectionIsAUsageError) {
  Result<std::string> out = RunSubprocess({Parlab(), "tour", "--section", "no-such-section"}, 60);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("code 2"), std::string::npos) << out.status().message();
}

}  // namespace
}  // namespace parlab
