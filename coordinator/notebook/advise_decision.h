#pragma once
// The notebook's decision guide, made to answer from measurements:
//   CPU-bound with BLAS  -> let BLAS use its threads (numpy/scipy)
//   I/O-bound            -> threads
//   a pure loop           -> processes (multiprocessing)
//   otherwise             -> vectorise
// The branch comes from what the kernel is (does it release the lock? does
// it use BLAS threads?); the recommendation comes from the probes: the
// fastest mode, unless no mode beats seq clearly — by kWorthwhileSpeedup and
// by report/verdict.h's rule, so noise never recommends a mode — and with the
// branch's own mode preferred among near ties. Warnings flag an environment that would
// oversubscribe the cores. Pure; the tests feed it synthetic probes.

#include <optional>
#include <string>
#include <vector>

#include "coordinator/report/verdict.h"
#include "proto/parlab.pb.h"

namespace parlab {

struct ModeProbe {
  pb::Mode mode = pb::SEQ;
  int workers = 1;
  int threads = 1;
  int units = 1;  // ParallelUnits: processes × threads it occupies
  int64_t tasks = 0;
  double wall_mean_s = 0;  // per trial
  double wall_std_s = 0;
  double speedup = 0;  // seq's wall mean / this one's
  Timing timing;       // the trials' interval: what a verdict against another probe needs
};

enum class AdviceBranch {
  kUsesBlasThreads,  // BLAS/LAPACK-like: threads inside one call help
  kReleasesLock,     // waits (I/O) or C code that drops the lock
  kHoldsLock,        // a pure loop: holds the lock while it computes
};

struct AdviceInput {
  std::string workload;  // for the report
  bool releases_lock = false;
  bool uses_threads = false;
  int usable_cores = 1;
  // Threads a BLAS library in each process would start, from
  // OPENBLAS_NUM_THREADS / OMP_NUM_THREADS; nullopt: unset (then BLAS
  // libraries start one per core).
  std::optional<int> env_blas_threads;
  std::vector<ModeProbe> probes;  // seq first
};

struct Advice {
  AdviceBranch branch = AdviceBranch::kHoldsLock;
  std::string branch_text;           // "holds the lock (a pure loop)"
  pb::Mode notebook_mode = pb::SEQ;  // what the notebook's rule picks for this branch
  std::string notebook_rule;         // "pure loops -> processes (multiprocessing)"
  bool notebook_rule_holds = false;  // its mode measured at least 1.2x, clear of seq's interval
  ModeProbe recommended;
  std::vector<std::string> reasons;   // one line each, with the numbers
  std::vector<std::string> warnings;  // oversubscription
};

// The smallest positive integer among the values of OPENBLAS_NUM_THREADS,
// GOTO_NUM_THREADS and OMP_NUM_THREADS given as (name, value) pairs; nullopt
// when none is set to one.
std::optional<int> BlasThreadsFromEnv(
    const std::vector<std::pair<std::string, std::optional<std::string>>>& variables);

// Precondition: input.probes holds seq with wall_mean_s > 0.
Advice Decide(const AdviceInput& input);

}  // namespace parlab
