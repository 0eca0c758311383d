// The progress line with a fake clock and a string sink: what it says, when
// it says it (not in the first second, not more often than it should), that
// it erases itself, and that a non-terminal sink gets nothing at all.
#include "coordinator/report/progress.h"

#include <gtest/gtest.h>

#include <sstream>

namespace parlab {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

TEST(ProgressTest, EtaIsRoundedUp) {
  EXPECT_EQ(FormatEta(0), "0s");
  EXPECT_EQ(FormatEta(4.2), "5s");
  EXPECT_EQ(FormatEta(59.5), "1m00s");
  EXPECT_EQ(FormatEta(184), "3m04s");
  EXPECT_EQ(FormatEta(7300), "2h02m");
  EXPECT_EQ(FormatEta(-3), "0s");
}

TEST(ProgressTest, CountsAreShort) {
  EXPECT_EQ(FormatCount(812), "812");
  EXPECT_EQ(FormatCount(81234), "81.2k");
  EXPECT_EQ(FormatCount(2.5e6), "2.50M");
}

TEST(ProgressTest, LineSaysDoneTotalRateEtaAndStage) {
  const std::string line = FormatProgressLine({1200, 5000, 2 * kSecond, "procs, 4 workers"}, 120);
  EXPECT_EQ(line, "parlab:  24% 1200/5000 tasks, 600/s, ETA 7s | procs, 4 workers");
}

TEST(ProgressTest, LineCountsItsUnit) {
  const std::string line = FormatProgressLine({500, 2000, kSecond, "n=1000", "Mflop"}, 120);
  EXPECT_EQ(line, "parlab:  25% 500/2000 Mflop, 500/s, ETA 3s | n=1000");
}

TEST(ProgressTest, LineBeforeTheFirstTaskHasNoRate) {
  const std::string line = FormatProgressLine({0, 100, kSecond, "seq"}, 120);
  EXPECT_EQ(line, "parlab:   0% 0/100 tasks, ETA ? | seq");
}

TEST(ProgressTest, LineWithNothingToCountSaysOnlyTheStage) {
  EXPECT_EQ(FormatProgressLine({0, 0, kSecond, "sizing the probes"}, 120),
            "parlab: sizing the probes");
  EXPECT_EQ(FormatProgressLine({0, 0, kSecond, std::string(200, 'x')}, 40).size(), 39u);
}

TEST(ProgressTest, LineOfARunThatEndsByTheClockTakesItsShareAndEtaFromTime) {
  ProgressSnapshot snapshot{24000, 0, 24 * kSecond, "chaos: 12 workers killed"};
  snapshot.duration_ns = 60 * kSecond;
  EXPECT_EQ(FormatProgressLine(snapshot, 120),
            "parlab:  40% 24000 tasks, 1000/s, ETA 36s | chaos: 12 workers killed");
  snapshot.done = 0;
  snapshot.elapsed_ns = 0;
  EXPECT_EQ(FormatProgressLine(snapshot, 120),
            "parlab:   0% 0 tasks, ETA 1m00s | chaos: 12 workers killed");
  snapshot.done = 90000;
  snapshot.elapsed_ns = 61 * kSecond;  // the last trial runs past the end
  EXPECT_EQ(FormatProgressLine(snapshot, 120).rfind("parlab: 100% 90000 tasks, 1475/s, ETA 0s", 0),
            0u);
}

TEST(ProgressTest, LineIsCutToTheTerminal) {
  const std::string line = FormatProgressLine({1, 2, kSecond, std::string(200, 'x')}, 40);
  EXPECT_EQ(line.size(), 39u);  // the last column stays empty: no wrap
  EXPECT_EQ(line.rfind("parlab:", 0), 0u);
}

TEST(ProgressTest, DoneBeyondThePlanShowsAsComplete) {
  const std::string line = FormatProgressLine({120, 100, kSecond, ""}, 120);
  EXPECT_NE(line.find("100% 120/120 tasks"), std::string::npos) << line;
}

TEST(ProgressTest, QuietDuringTheFirstSecond) {
  FakeClock clock;
  std::ostringstream sink;
  Progress progress(sink, /*enabled=*/true, 80, clock, 100);
  progress.SetStage("threads, 2 workers");
  clock.AdvanceNs(kSecond / 2);
  progress.AddDone(10);
  EXPECT_EQ(sink.str(), "");
  progress.Clear();
  EXPECT_EQ(sink.str(), "");  // nothing shown, nothing to erase
}

TEST(ProgressTest, DrawsOneLineRewrittenInPlaceAndErasesIt) {
  FakeClock clock;
  std::ostringstream sink;
  {
    Progress progress(sink, /*enabled=*/true, 80, clock, 100);
    progress.SetStage("threads, 2 workers");
    clock.AdvanceNs(2 * kSecond);
    progress.AddDone(50);
    const std::string first = sink.str();
    EXPECT_EQ(first, "\rparlab:  50% 50/100 tasks, 25/s, ETA 2s | threads, 2 workers");
    EXPECT_EQ(first.find('\n'), std::string::npos);

    // Within a tenth of a second: not redrawn.
    clock.AdvanceNs(kSecond / 20);
    progress.AddDone(1);
    EXPECT_EQ(sink.str(), first);

    // Later, a shorter line: spaces cover the rest of the longer one.
    clock.AdvanceNs(kSecond);
    progress.SetStage("seq");
    const std::string second = sink.str().substr(first.size());
    EXPECT_EQ(second.front(), '\r');
    EXPECT_NE(second.find("51/100 tasks"), std::string::npos) << second;
    EXPECT_NE(second.find("| seq"), std::string::npos);
    EXPECT_EQ(second.size(), first.size());
    EXPECT_EQ(second.back(), ' ');
  }
  // The destructor erased it: carriage return, blanks, carriage return.
  const std::string all = sink.str();
  const std::string erase = "\r" + std::string(60, ' ') + "\r";
  ASSERT_GE(all.size(), erase.size());
  EXPECT_EQ(all.substr(all.size() - erase.size()), erase);
  EXPECT_EQ(all.find('\n'), std::string::npos);
}

TEST(ProgressTest, ClearThenDrawAgain) {
  FakeClock clock;
  std::ostringstream sink;
  Progress progress(sink, true, 80, clock, 10);
  clock.AdvanceNs(2 * kSecond);
  progress.AddDone(1);
  progress.Clear();
  const size_t after_clear = sink.str().size();
  progress.AddDone(1);  // drawn again at once: a cleared line is not "recent"
  EXPECT_GT(sink.str().size(), after_clear);
  EXPECT_NE(sink.str().find("2/10 tasks", after_clear), std::string::npos);
}

TEST(ProgressTest, SilentWhenNotATerminal) {
  FakeClock clock;
  std::ostringstream sink;
  {
    Progress progress(sink, /*enabled=*/false, 80, clock, 100);
    for (int i = 0; i < 10; ++i) {
      clock.AdvanceNs(kSecond);
      progress.SetStage("procs, 2 workers");
      progress.AddDone(10);
    }
    EXPECT_EQ(progress.done(), 100);
    progress.Clear();
  }
  EXPECT_EQ(sink.str(), "");
}

TEST(ProgressTest, AdvanceNamesWhatRunsNext) {
  FakeClock clock;
  std::ostringstream sink;
  Progress progress(sink, true, 80, clock, 20);
  progress.SetStage("threads, 1 worker");
  clock.AdvanceNs(2 * kSecond);
  progress.Advance(10, "procs, 1 worker");
  EXPECT_EQ(sink.str(), "\rparlab:  50% 10/20 tasks, 5/s, ETA 2s | procs, 1 worker");
  EXPECT_EQ(progress.done(), 10);
}

TEST(ProgressTest, StartCountCountsAnewOnTheSameLine) {
  FakeClock clock;
  std::ostringstream sink;
  Progress progress(sink, true, 80, clock, 20);
  progress.SetStage("step 1");
  clock.AdvanceNs(2 * kSecond);
  progress.AddDone(20);
  clock.AdvanceNs(kSecond);
  progress.SetStage("step 2");
  progress.StartCount(30);
  sink.str("");
  clock.AdvanceNs(2 * kSecond);
  progress.AddDone(10);
  // 10 tasks in the 2 s since the count began: 5/s, 4 s for the 20 left.
  EXPECT_EQ(sink.str().rfind("\rparlab:  33% 10/30 tasks, 5/s, ETA 4s | step 2", 0), 0u)
      << sink.str();
  EXPECT_EQ(progress.done(), 10);
  EXPECT_EQ(progress.total(), 30);
}

TEST(ProgressTest, ADurationCountsFromTheStartOfTheCount) {
  FakeClock clock;
  std::ostringstream sink;
  Progress progress(sink, true, 80, clock, 0);
  progress.SetDuration(10 * kSecond);
  clock.AdvanceNs(2 * kSecond);
  progress.AddDone(400);
  EXPECT_EQ(sink.str(), "\rparlab:  20% 400 tasks, 200/s, ETA 8s");
}

TEST(ProgressTest, TotalFollowsThePlan) {
  FakeClock clock;
  std::ostringstream sink;
  Progress progress(sink, true, 80, clock, 100);
  progress.AddTotal(-40);
  EXPECT_EQ(progress.total(), 60);
  progress.AddTotal(-100);
  EXPECT_EQ(progress.total(), 0);
}

}  // namespace
}  // namespace parlab
