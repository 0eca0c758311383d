#include "coordinator/notebook/advise_decision.h"

#include <gtest/gtest.h>

namespace parlab {
namespace {

ModeProbe Probe(pb::Mode mode, int workers, int threads, double wall_s, double seq_s) {
  ModeProbe probe;
  probe.mode = mode;
  probe.workers = workers;
  probe.threads = threads;
  probe.units = mode == pb::SEQ ? 1 : (mode == pb::BLAS ? threads : workers * threads);
  probe.wall_mean_s = wall_s;
  probe.speedup = seq_s / wall_s;
  // Quiet trials: ±1% intervals, so the rule decides by the means alone.
  probe.timing = {wall_s, 0.99 * wall_s, 1.01 * wall_s, 0.01, 5};
  return probe;
}

// The notebook's pure loop on 2 cores: the lock serialises threads.
AdviceInput LoopOnTwoCores() {
  AdviceInput input;
  input.workload = "loop n=5000000";
  input.usable_cores = 2;
  input.probes = {Probe(pb::SEQ, 1, 1, 1.0, 1.0), Probe(pb::THREADS, 2, 1, 0.52, 1.0),
                  Probe(pb::GIL, 2, 1, 1.02, 1.0), Probe(pb::PROCS, 2, 1, 0.51, 1.0),
                  Probe(pb::BLAS, 1, 2, 1.0, 1.0)};
  return input;
}

TEST(AdviseDecisionTest, PureLoopGoesToProcesses) {
  const Advice advice = Decide(LoopOnTwoCores());
  EXPECT_EQ(advice.branch, AdviceBranch::kHoldsLock);
  EXPECT_EQ(advice.recommended.mode, pb::PROCS);
  EXPECT_EQ(advice.recommended.workers, 2);
  EXPECT_TRUE(advice.notebook_rule_holds);
  bool says_lock_holds = false;
  for (const std::string& reason : advice.reasons) {
    if (reason.find("Python threads would not help") != std::string::npos) says_lock_holds = true;
  }
  EXPECT_TRUE(says_lock_holds);
  EXPECT_TRUE(advice.warnings.empty());
}

bool AnyReasonHas(const Advice& advice, const std::string& text) {
  for (const std::string& reason : advice.reasons) {
    if (reason.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(AdviseDecisionTest, NoiseRecommendsNoMode) {
  // procs at 1.96x, but its trials spread over seq's: no evidence it is faster.
  AdviceInput input = LoopOnTwoCores();
  input.probes[3].timing = {0.51, 0.2, 1.3, 0.6, 3};
  input.probes[1].timing = {0.52, 0.2, 1.3, 0.6, 3};  // threads too
  const Advice advice = Decide(input);
  EXPECT_EQ(advice.recommended.mode, pb::SEQ);
  EXPECT_FALSE(advice.notebook_rule_holds);
  EXPECT_TRUE(AnyReasonHas(advice, "against seq is not distinguishable here (CV 60% and 1.0%)"));
  EXPECT_TRUE(AnyReasonHas(advice, "rerun with more --trials"));
  // And the lock's effect is withheld too: threads and gil overlap.
  EXPECT_FALSE(AnyReasonHas(advice, "Python threads would not help"));
}

TEST(AdviseDecisionTest, NearTieGoesToTheNotebooksMode) {
  AdviceInput input = LoopOnTwoCores();
  input.probes[1] = Probe(pb::THREADS, 2, 1, 0.50, 1.0);  // 2.00x, procs 1.96x: within 5%
  EXPECT_EQ(Decide(input).recommended.mode, pb::PROCS);
  input.probes[1] = Probe(pb::THREADS, 2, 1, 0.40, 1.0);  // clearly faster
  EXPECT_EQ(Decide(input).recommended.mode, pb::THREADS);
}

TEST(AdviseDecisionTest, GilIsNeverRecommended) {
  AdviceInput input;
  input.releases_lock = true;
  input.usable_cores = 2;
  input.probes = {Probe(pb::SEQ, 1, 1, 1.0, 1.0), Probe(pb::THREADS, 2, 1, 0.51, 1.0),
                  Probe(pb::GIL, 2, 1, 0.50, 1.0), Probe(pb::PROCS, 2, 1, 0.6, 1.0)};
  const Advice advice = Decide(input);
  EXPECT_EQ(advice.branch, AdviceBranch::kReleasesLock);
  EXPECT_EQ(advice.recommended.mode, pb::THREADS);
  EXPECT_TRUE(advice.notebook_rule_holds);  // judged on gil: Python threads scale
}

TEST(AdviseDecisionTest, BlasKernelPrefersBlasThreads) {
  AdviceInput input;
  input.uses_threads = true;
  input.releases_lock = true;
  input.usable_cores = 2;
  input.env_blas_threads = 1;
  input.probes = {Probe(pb::SEQ, 1, 1, 1.0, 1.0),   Probe(pb::THREADS, 2, 1, 0.55, 1.0),
                  Probe(pb::GIL, 2, 1, 0.56, 1.0),  Probe(pb::PROCS, 2, 1, 0.6, 1.0),
                  Probe(pb::BLAS, 1, 2, 0.53, 1.0), Probe(pb::HYBRID, 2, 1, 0.6, 1.0)};
  const Advice advice = Decide(input);
  EXPECT_EQ(advice.branch, AdviceBranch::kUsesBlasThreads);
  EXPECT_EQ(advice.recommended.mode, pb::BLAS);
  EXPECT_EQ(advice.recommended.threads, 2);
  EXPECT_TRUE(advice.warnings.empty());
}

TEST(AdviseDecisionTest, NothingPaysMeansSequential) {
  AdviceInput input;
  input.usable_cores = 2;
  input.probes = {Probe(pb::SEQ, 1, 1, 1.0, 1.0), Probe(pb::THREADS, 2, 1, 0.95, 1.0),
                  Probe(pb::GIL, 2, 1, 1.5, 1.0), Probe(pb::PROCS, 2, 1, 3.0, 1.0)};
  const Advice advice = Decide(input);
  EXPECT_EQ(advice.recommended.mode, pb::SEQ);
  EXPECT_FALSE(advice.notebook_rule_holds);
  EXPECT_NE(advice.reasons.front().find("stay sequential"), std::string::npos);
}

TEST(AdviseDecisionTest, WarnsWhenProcessesTimesBlasThreadsOversubscribe) {
  AdviceInput input;
  input.uses_threads = true;
  input.releases_lock = true;
  input.usable_cores = 2;
  input.env_blas_threads = std::nullopt;  // unset: BLAS takes every core in each process
  input.probes = {Probe(pb::SEQ, 1, 1, 1.0, 1.0), Probe(pb::PROCS, 2, 1, 0.5, 1.0),
                  Probe(pb::BLAS, 1, 2, 0.8, 1.0)};
  Advice advice = Decide(input);
  EXPECT_EQ(advice.recommended.mode, pb::PROCS);
  ASSERT_EQ(advice.warnings.size(), 1u);
  EXPECT_NE(advice.warnings[0].find("2 processes x 2 BLAS threads"), std::string::npos)
      << advice.warnings[0];
  EXPECT_NE(advice.warnings[0].find("OMP_NUM_THREADS=1"), std::string::npos);

  input.env_blas_threads = 1;  // the environment pins BLAS to one thread: fine
  EXPECT_TRUE(Decide(input).warnings.empty());

  input.env_blas_threads = 8;  // asks for more than there are
  advice = Decide(input);
  EXPECT_EQ(advice.warnings.size(), 2u);
}

TEST(AdviseDecisionTest, WarnsWhenTheRecommendationItselfOversubscribes) {
  AdviceInput input;
  input.usable_cores = 1;
  input.probes = {Probe(pb::SEQ, 1, 1, 1.0, 1.0), Probe(pb::THREADS, 2, 1, 0.5, 1.0)};
  const Advice advice = Decide(input);
  ASSERT_FALSE(advice.warnings.empty());
  EXPECT_NE(advice.warnings[0].find("oversubscribed"), std::string::npos);
}

TEST(AdviseDecisionTest, NoLockVerdictWhenThreadsDoNotScale) {
  AdviceInput input = LoopOnTwoCores();
  input.probes[1] = Probe(pb::THREADS, 2, 1, 1.1, 1.0);  // 0.91x: a busy machine
  input.probes[2] = Probe(pb::GIL, 2, 1, 1.3, 1.0);
  const Advice advice = Decide(input);
  bool cannot_judge = false;
  for (const std::string& reason : advice.reasons) {
    EXPECT_EQ(reason.find("Python threads would"), std::string::npos) << reason;
    if (reason.find("cannot be seen") != std::string::npos) cannot_judge = true;
  }
  EXPECT_TRUE(cannot_judge);
}

TEST(AdviseDecisionTest, BlasThreadsFromEnvTakesTheSmallestSetValue) {
  EXPECT_EQ(BlasThreadsFromEnv({{"OMP_NUM_THREADS", std::nullopt}}), std::nullopt);
  EXPECT_EQ(BlasThreadsFromEnv({{"OMP_NUM_THREADS", "4"}, {"OPENBLAS_NUM_THREADS", "2"}}), 2);
  EXPECT_EQ(BlasThreadsFromEnv({{"OMP_NUM_THREADS", "3,1"}}), 3);
  EXPECT_EQ(BlasThreadsFromEnv({{"OMP_NUM_THREADS", "x"}, {"MKL_NUM_THREADS", "1"}}), std::nullopt);
  EXPECT_EQ(BlasThreadsFromEnv({{"OMP_NUM_THREADS", "0"}}), std::nullopt);
}

}  // namespace
}  // namespace parlab
