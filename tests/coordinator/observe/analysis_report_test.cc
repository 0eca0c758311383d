// `parlab analyse --csv` (observe/analysis_report.h): a row per log, worker
// and phase — the whole log's phases first, then each worker's.
#include "coordinator/observe/analysis_report.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace parlab {
namespace {

pb::PhaseStats Phase(const char* name, double p50_us) {
  pb::PhaseStats phase;
  phase.set_phase(name);
  phase.set_p50_us(p50_us);
  phase.set_total_s(0.5);
  return phase;
}

TEST(AnalysisReportTest, CsvHasARowPerLogWorkerAndPhase) {
  std::vector<pb::LogAnalysis> logs(2);
  logs[0].set_path("a.jsonl");
  logs[0].set_measured_tasks(10);
  *logs[0].add_phases() = Phase("encode", 1.5);
  *logs[0].add_phases() = Phase("compute", 100);
  for (int w = 0; w < 2; ++w) {
    pb::WorkerAnalysis& worker = *logs[0].add_workers();
    worker.set_worker(w);
    worker.set_tasks(5);
    *worker.add_phases() = Phase("compute", 90 + w);
  }
  logs[1].set_path("b,c.jsonl");  // a comma: CsvTable quotes it
  logs[1].set_measured_tasks(3);
  *logs[1].add_command_phases() = Phase("spawn", 40);

  const Table table = AnalysisCsvTable(logs);
  EXPECT_EQ(table.columns,
            (std::vector<std::string>{"log", "worker", "tasks", "phase", "p50_us", "p90_us",
                                      "p99_us", "max_us", "mean_us", "total_s"}));
  ASSERT_EQ(table.rows.size(), 5u);
  EXPECT_EQ(table.rows[0], (std::vector<std::string>{"a.jsonl", "all", "10", "encode", "1.5", "0",
                                                     "0", "0", "0", "0.5"}));
  EXPECT_EQ(table.rows[2][1], "0");
  EXPECT_EQ(table.rows[3][1], "1");
  EXPECT_EQ(table.rows[3][2], "5");
  EXPECT_EQ(table.rows[3][4], "91");
  EXPECT_EQ(table.rows[4][0], "b,c.jsonl");
  EXPECT_EQ(table.rows[4][3], "spawn");
  EXPECT_NE(CsvTable(table).find("\"b,c.jsonl\",all,3,spawn,40"), std::string::npos);
}

}  // namespace
}  // namespace parlab
