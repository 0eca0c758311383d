#include "coordinator/notebook/timeit_format.h"

#include <gtest/gtest.h>

#include <sstream>

namespace parlab {
namespace {

// Expected strings are what IPython's _format_time prints for the same values.
TEST(TimeitFormatTest, AdaptsTheUnitAsIPython) {
  EXPECT_EQ(FormatTimeitSeconds(0.00527), "5.27 ms");
  EXPECT_EQ(FormatTimeitSeconds(74.3e-6), "74.3 µs");
  EXPECT_EQ(FormatTimeitSeconds(0.2), "200 ms");
  EXPECT_EQ(FormatTimeitSeconds(0.002), "2 ms");
  EXPECT_EQ(FormatTimeitSeconds(0.0002), "200 µs");
  EXPECT_EQ(FormatTimeitSeconds(1.5), "1.5 s");
  EXPECT_EQ(FormatTimeitSeconds(12.345), "12.3 s");
  EXPECT_EQ(FormatTimeitSeconds(59.0), "59 s");
  EXPECT_EQ(FormatTimeitSeconds(35e-9), "35 ns");
  EXPECT_EQ(FormatTimeitSeconds(5e-10), "0.5 ns");  // never below ns
  EXPECT_EQ(FormatTimeitSeconds(0.0), "0 ns");
  EXPECT_EQ(FormatTimeitSeconds(1e-3), "1 ms");
  EXPECT_EQ(FormatTimeitSeconds(0.00123456, 5), "1.2346 ms");
}

TEST(TimeitFormatTest, MinutesAndHoursAsIPython) {
  EXPECT_EQ(FormatTimeitSeconds(60.0), "1min");
  EXPECT_EQ(FormatTimeitSeconds(65.0), "1min 5s");
  EXPECT_EQ(FormatTimeitSeconds(3725.0), "1h 2min 5s");
  EXPECT_EQ(FormatTimeitSeconds(90000.0), "1d 1h");
}

pb::TimeitReport Fake(const std::vector<double>& per_loop_s, int64_t loops) {
  pb::TimeitReport result;
  result.set_workload("matmul n=500");
  result.set_loops(loops);
  for (double s : per_loop_s) result.add_per_loop_s(s);
  SummarizeTimings(result);
  return result;
}

TEST(TimeitFormatTest, SummaryIsPerLoopWithPopulationStd) {
  const pb::TimeitReport result = Fake({0.004, 0.005, 0.006}, 100);
  EXPECT_DOUBLE_EQ(result.best_s(), 0.004);
  EXPECT_DOUBLE_EQ(result.worst_s(), 0.006);
  EXPECT_DOUBLE_EQ(result.mean_s(), 0.005);
  EXPECT_NEAR(result.std_s(), 0.000816496580927726, 1e-15);  // sqrt(2/3)·1 ms
}

TEST(TimeitFormatTest, LineAsIPython) {
  EXPECT_EQ(TimeitLine(Fake({0.004, 0.005, 0.006}, 100)),
            "5 ms ± 816 µs per loop (mean ± std. dev. of 3 runs, 100 loops each)");
  EXPECT_EQ(TimeitLine(Fake({2.0}, 1)),
            "2 s ± 0 ns per loop (mean ± std. dev. of 1 run, 1 loop each)");
  EXPECT_EQ(TimeitLine(Fake({1e-7, 1e-7}, 1'000'000)),
            "100 ns ± 0 ns per loop (mean ± std. dev. of 2 runs, 1,000,000 loops each)");
}

TEST(TimeitFormatTest, PrintsBestAndWarnsOnSlowRuns) {
  std::ostringstream calm;
  PrintTimeit(Fake({0.004, 0.005, 0.006}, 100), calm);
  EXPECT_NE(calm.str().find("timeit matmul n=500"), std::string::npos);
  EXPECT_NE(calm.str().find("best 4 ms per loop, 5 ms ± 816 µs per loop"), std::string::npos);
  EXPECT_EQ(calm.str().find("slowest"), std::string::npos);

  std::ostringstream noisy;
  PrintTimeit(Fake({0.001, 0.005}, 10), noisy);
  EXPECT_NE(noisy.str().find("The slowest run took 5.00 times longer than the fastest"),
            std::string::npos);
}

TEST(TimeitFormatTest, CsvHasARowPerRepeat) {
  pb::TimeitReport result;
  result.set_workload("matmul n=500");
  result.set_threads(2);
  result.set_loops(10);
  result.add_per_loop_s(0.0125);
  result.add_per_loop_s(0.013);
  const Table table = TimeitCsvTable(result);
  EXPECT_EQ(table.columns,
            (std::vector<std::string>{"workload", "threads", "loops", "repeat", "per_loop_s"}));
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0], (std::vector<std::string>{"matmul n=500", "2", "10", "1", "0.0125"}));
  EXPECT_EQ(table.rows[1][3], "2");
  EXPECT_EQ(table.rows[1][4], "0.013");
}

}  // namespace
}  // namespace parlab
