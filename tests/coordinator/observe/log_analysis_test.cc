// The numbers of `parlab analyse` on a synthetic log whose answer is known:
// task k (1..100) spends k µs encoding and 10 µs computing, nothing else, and
// runs alone, so its overhead is k µs. Odd k ran on worker 1, even k on
// worker 0; task 7 needed a second attempt; one more task failed; five warmup
// records come first.
#include "coordinator/observe/log_analysis.h"

#include <gtest/gtest.h>

#include <numeric>

#include "coordinator/observe/log_writer.h"
#include "coordinator/runtime/job_spec.h"

namespace parlab {
namespace {

constexpr int64_t kUs = 1000;

TaskRecord Task(uint64_t id, int32_t trial, int32_t worker, int64_t start_ns, int64_t encode_ns) {
  TaskRecord r;
  r.id = id;
  r.trial = trial;
  r.worker = worker;
  TaskStamps& t = r.t;
  t.submit_ns = start_ns;
  t.enqueued_ns = start_ns + encode_ns;
  t.dequeued_ns = t.enqueued_ns;
  t.decoded_ns = t.dequeued_ns;
  t.compute_start_ns = t.decoded_ns;
  t.compute_end_ns = t.compute_start_ns + 10 * kUs;
  t.result_enqueued_ns = t.compute_end_ns;
  t.result_dequeued_ns = t.compute_end_ns;
  return r;
}

LogContents SyntheticLog() {
  LogContents log;
  log.path = "synthetic.jsonl";
  pb::LogHeader header;
  header.set_version(kLogVersion);
  *header.mutable_job() = DefaultJob();
  header.mutable_job()->set_mode(pb::PROCS);
  header.mutable_job()->set_workers(2);
  header.set_env_json(R"({"cpu":{"model":"Test CPU"},"limits":{"usable_cores":2},)"
                      R"("build":{"type":"Release"}})");
  log.header = header;
  for (uint64_t w = 0; w < 5; ++w) log.records.push_back(Task(900 + w, -1, 0, 1, 500 * kUs));
  for (int64_t k = 1; k <= 100; ++k) {
    TaskRecord r =
        Task(static_cast<uint64_t>(k), 0, static_cast<int32_t>(k % 2), k * 1000 * kUs, k * kUs);
    if (k == 7) r.attempt = 2;
    log.records.push_back(r);
  }
  TaskRecord failed = Task(500, 0, 1, 50'500 * kUs, 0);
  failed.outcome = TaskOutcome::kWorkerDied;
  failed.attempt = 3;
  failed.signal = 9;
  failed.t.result_dequeued_ns = 0;
  log.records.push_back(failed);
  log.errors.emplace_back(500, "worker 1 died (SIGKILL) 3 times");
  log.problems.push_back({17, "not a task record: x"});
  log.problem_count = 1;
  return log;
}

const pb::PhaseStats& Phase(const google::protobuf::RepeatedPtrField<pb::PhaseStats>& phases,
                            const std::string& name) {
  for (const pb::PhaseStats& p : phases) {
    if (p.phase() == name) return p;
  }
  ADD_FAILURE() << "no phase " << name;
  return phases.Get(0);
}

TEST(LogAnalysisTest, TotalsAndShares) {
  const pb::LogAnalysis a = AnalyseLog(SyntheticLog(), {});
  EXPECT_EQ(a.path(), "synthetic.jsonl");
  EXPECT_EQ(a.mode(), "procs/shm");
  EXPECT_EQ(a.cpu_model(), "Test CPU");
  EXPECT_EQ(a.usable_cores(), 2);
  EXPECT_EQ(a.records(), 106);
  EXPECT_EQ(a.warmup_skipped(), 5);
  EXPECT_EQ(a.measured_tasks(), 101);
  EXPECT_EQ(a.trials(), 1);
  // From task 1's submit (1 ms) to task 100's answer (100 ms + 100 µs + 10 µs).
  EXPECT_NEAR(a.wall_s(), (100'110 - 1'000) * 1e-6, 1e-12);
  EXPECT_NEAR(a.compute_s(), 100 * 10e-6, 1e-12);
  EXPECT_NEAR(a.ipc_s(), 5050e-6, 1e-12);
  EXPECT_NEAR(a.queue_s(), 0, 1e-12);
  EXPECT_NEAR(a.ipc_share(), 5050.0 / 6050.0, 1e-12);
  EXPECT_NEAR(a.compute_share() + a.ipc_share(), 1.0, 1e-12);
  EXPECT_NEAR(a.utilisation(), 1000.0 / (99'110.0 * 2), 1e-12);
  EXPECT_EQ(a.problems_size(), 1);
  EXPECT_EQ(a.problems(0).line(), 17);
}

// A log written before env_json was a pb::EnvReport: nulls for the unknown,
// numbers for the byte counts, and a field today's schema lacks.
TEST(LogAnalysisTest, OldAndNewEnvJsonReadTheSame) {
  LogContents log = SyntheticLog();
  log.header->set_env_json(
      R"({"cpu":{"model":"Old CPU","smt":"on"},"limits":{"usable_cores":3,"cgroup_cpu_quota":null,)"
      R"("shm_total_bytes":1073741824,"shm_free_bytes":null},"build":{"type":"Debug"},)"
      R"("thread_variables":[{"name":"OMP_NUM_THREADS","value":null}],"retired":1})");
  const pb::LogAnalysis old_log = AnalyseLog(log, {});
  EXPECT_EQ(old_log.cpu_model(), "Old CPU");
  EXPECT_EQ(old_log.usable_cores(), 3);
  EXPECT_EQ(old_log.build_type(), "Debug");
}

TEST(LogAnalysisTest, PercentilesAreNumpysLinear) {
  const pb::LogAnalysis a = AnalyseLog(SyntheticLog(), {});
  ASSERT_EQ(a.phases_size(), 7);
  const pb::PhaseStats& overhead = Phase(a.phases(), "overhead");
  // numpy.percentile(range(1, 101), [50, 90, 99]) = 50.5, 90.1, 99.01
  EXPECT_NEAR(overhead.p50_us(), 50.5, 1e-9);
  EXPECT_NEAR(overhead.p90_us(), 90.1, 1e-9);
  EXPECT_NEAR(overhead.p99_us(), 99.01, 1e-9);
  EXPECT_NEAR(overhead.max_us(), 100, 1e-9);
  EXPECT_NEAR(overhead.mean_us(), 50.5, 1e-9);
  const pb::PhaseStats& encode = Phase(a.phases(), "encode");
  EXPECT_NEAR(encode.p50_us(), 50.5, 1e-9);
  const pb::PhaseStats& compute = Phase(a.phases(), "compute");
  EXPECT_NEAR(compute.p50_us(), 10, 1e-9);
  EXPECT_NEAR(compute.max_us(), 10, 1e-9);
  for (const char* zero : {"queue", "wake", "decode", "return"}) {
    EXPECT_EQ(Phase(a.phases(), zero).max_us(), 0) << zero;
  }
}

TEST(LogAnalysisTest, PerWorkerSplit) {
  const pb::LogAnalysis a = AnalyseLog(SyntheticLog(), {});
  ASSERT_EQ(a.workers_size(), 2);
  const pb::WorkerAnalysis& even = a.workers(0);
  const pb::WorkerAnalysis& odd = a.workers(1);
  EXPECT_EQ(even.worker(), 0);
  EXPECT_EQ(odd.worker(), 1);
  EXPECT_EQ(even.tasks(), 50);
  EXPECT_EQ(odd.tasks(), 50);  // the failed task has no phases
  // Worker 0: 2, 4, ..., 100 → median 51; worker 1: 1, 3, ..., 99 → median 50.
  EXPECT_NEAR(Phase(even.phases(), "overhead").p50_us(), 51, 1e-9);
  EXPECT_NEAR(Phase(odd.phases(), "overhead").p50_us(), 50, 1e-9);
  EXPECT_NEAR(even.ipc_s(), 2550e-6, 1e-12);
  EXPECT_NEAR(odd.ipc_s(), 2500e-6, 1e-12);
  EXPECT_NEAR(even.compute_s() + odd.compute_s(), a.compute_s(), 1e-12);
  EXPECT_NEAR(even.ipc_share(), 2550.0 / 3050.0, 1e-12);
}

TEST(LogAnalysisTest, RetriedAndFailedAreListed) {
  const pb::LogAnalysis a = AnalyseLog(SyntheticLog(), {});
  EXPECT_EQ(a.retried_count(), 2);  // task 7, and the failed task's third attempt
  ASSERT_EQ(a.retried_size(), 2);
  EXPECT_EQ(a.retried(0).id(), 7u);
  EXPECT_EQ(a.retried(0).attempt(), 2);
  EXPECT_EQ(a.retried(0).status(), pb::TASK_OK);
  EXPECT_EQ(a.failed_count(), 1);
  ASSERT_EQ(a.failed_size(), 1);
  EXPECT_EQ(a.failed(0).id(), 500u);
  EXPECT_EQ(a.failed(0).status(), pb::TASK_WORKER_DIED);
  EXPECT_EQ(a.failed(0).signal(), 9);
  EXPECT_EQ(a.failed(0).error(), "worker 1 died (SIGKILL) 3 times");
}

TEST(LogAnalysisTest, HistogramUsesOneTwoFiveBins) {
  const pb::LogAnalysis a = AnalyseLog(SyntheticLog(), {});
  const std::vector<std::pair<double, int64_t>> expected = {{1, 1},   {2, 3},   {5, 5},  {10, 10},
                                                            {20, 30}, {50, 50}, {100, 1}};
  ASSERT_EQ(a.overhead_histogram_size(), static_cast<int>(expected.size()));
  int64_t total = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    const pb::HistogramBin& bin = a.overhead_histogram(static_cast<int>(i));
    EXPECT_NEAR(bin.low_us(), expected[i].first, 1e-9) << i;
    EXPECT_EQ(bin.count(), expected[i].second) << i;
    total += bin.count();
  }
  EXPECT_EQ(total, 100);
  EXPECT_NEAR(a.overhead_histogram(6).high_us(), 200, 1e-9);
}

TEST(LogAnalysisTest, WarmupOnRequest) {
  AnalysisOptions options;
  options.include_warmup = true;
  const pb::LogAnalysis a = AnalyseLog(SyntheticLog(), options);
  EXPECT_EQ(a.warmup_skipped(), 0);
  EXPECT_EQ(a.measured_tasks(), 106);
  EXPECT_EQ(a.trials(), 2);
}

TEST(LogHistogramTest, ZerosAndEmpty) {
  EXPECT_TRUE(LogHistogram({}).empty());
  const std::vector<pb::HistogramBin> bins = LogHistogram({0, 0, 0.003, 0.5});
  ASSERT_FALSE(bins.empty());
  EXPECT_EQ(bins.front().low_us(), 0);
  int64_t total = 0;
  for (const pb::HistogramBin& bin : bins) total += bin.count();
  EXPECT_EQ(total, 4);
  EXPECT_EQ(bins.front().count(), 3);  // 0, 0 and 3 ns: below the 10 ns edge
}

TEST(LogAnalysisTest, NoHeaderStillAnalyses) {
  LogContents log = SyntheticLog();
  log.header.reset();
  const pb::LogAnalysis a = AnalyseLog(log, {});
  EXPECT_EQ(a.version(), 0);
  EXPECT_EQ(a.measured_tasks(), 101);
  EXPECT_NEAR(a.utilisation(), 1000.0 / (99'110.0 * 2), 1e-12);  // 2 workers seen
}

}  // namespace
}  // namespace parlab
