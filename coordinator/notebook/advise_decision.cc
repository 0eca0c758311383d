#include "coordinator/notebook/advise_decision.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "coordinator/runtime/job_spec.h"

namespace parlab {
namespace {

// A mode must be this much faster than seq to be worth its start-up and
// complexity; below it the advice is to stay sequential.
constexpr double kWorthwhileSpeedup = 1.2;
// Probes this close to the fastest count as a tie (short probes on a shared
// machine vary by a few percent): the branch's own mode, then the one that
// occupies fewer cores, wins.
constexpr double kTieFraction = 0.05;

const ModeProbe* FindProbe(const std::vector<ModeProbe>& probes, pb::Mode mode) {
  for (const ModeProbe& probe : probes) {
    if (probe.mode == mode) return &probe;
  }
  return nullptr;
}

std::string Describe(const ModeProbe& probe) {
  return fmt::format("{} ({:.2f}x)", ModeName(probe.mode), probe.speedup);
}

Order Against(const ModeProbe& a, const ModeProbe& b) { return CompareTimings(a.timing, b.timing); }

std::string Withheld(const ModeProbe& a, const ModeProbe& b) {
  return NotDistinguishable(a.timing, b.timing, kTrialsRemedy);
}

}  // namespace

std::optional<int> BlasThreadsFromEnv(
    const std::vector<std::pair<std::string, std::optional<std::string>>>& variables) {
  std::optional<int> smallest;
  for (const auto& [name, value] : variables) {
    if (name != "OPENBLAS_NUM_THREADS" && name != "GOTO_NUM_THREADS" && name != "OMP_NUM_THREADS") {
      continue;
    }
    if (!value || value->empty()) continue;
    char* end = nullptr;
    const long parsed = std::strtol(value->c_str(), &end, 10);
    // OMP_NUM_THREADS may be a list ("4,2"): its first entry is the outer level.
    if (end == value->c_str() || (*end != '\0' && *end != ',') || parsed < 1) continue;
    const int threads = static_cast<int>(std::min<long>(parsed, 1 << 20));
    smallest = smallest ? std::min(*smallest, threads) : threads;
  }
  return smallest;
}

Advice Decide(const AdviceInput& input) {
  Advice advice;
  const ModeProbe* seq = FindProbe(input.probes, pb::SEQ);
  if (input.uses_threads) {
    advice.branch = AdviceBranch::kUsesBlasThreads;
    advice.branch_text = "uses BLAS threads (BLAS/LAPACK-like, releases the lock)";
    advice.notebook_mode = pb::BLAS;
    advice.notebook_rule = "CPU-bound with BLAS -> let BLAS use its threads (numpy/scipy)";
  } else if (input.releases_lock) {
    advice.branch = AdviceBranch::kReleasesLock;
    advice.branch_text = "releases the lock while it works or waits (I/O-like)";
    advice.notebook_mode = pb::THREADS;
    advice.notebook_rule = "I/O-bound -> threads (threading: they scale even under the GIL)";
  } else {
    advice.branch = AdviceBranch::kHoldsLock;
    advice.branch_text = "holds the lock while it computes (a pure loop)";
    advice.notebook_mode = pb::PROCS;
    advice.notebook_rule = "pure loops -> processes (multiprocessing)";
  }

  // The fastest probe; near ties go to the notebook's mode, then to fewer
  // units. gil is evidence, never a choice: it is CPython's constraint, not
  // a way to run.
  const ModeProbe* best = seq;
  for (const ModeProbe& probe : input.probes) {
    if (probe.mode == pb::GIL) continue;
    if (best == nullptr || probe.speedup > best->speedup) best = &probe;
  }
  const ModeProbe* chosen = best;
  for (const ModeProbe& probe : input.probes) {
    if (probe.mode == pb::GIL || probe.speedup < best->speedup * (1 - kTieFraction)) continue;
    const bool preferred = probe.mode == advice.notebook_mode;
    const bool chosen_preferred = chosen->mode == advice.notebook_mode;
    if ((preferred && !chosen_preferred) ||
        (preferred == chosen_preferred && probe.units < chosen->units)) {
      chosen = &probe;
    }
  }
  // For I/O the notebook's claim is about Python threads, i.e. under the lock.
  const ModeProbe* rule = FindProbe(
      input.probes, advice.branch == AdviceBranch::kReleasesLock ? pb::GIL : advice.notebook_mode);
  const bool rule_clear =
      rule != nullptr && seq != nullptr && Against(*rule, *seq) != Order::kUnclear;
  advice.notebook_rule_holds =
      rule_clear && rule->speedup >= kWorthwhileSpeedup && Against(*rule, *seq) == Order::kFaster;

  if (seq != nullptr && chosen != seq && Against(*chosen, *seq) == Order::kUnclear) {
    // Noise must not recommend a mode, nor rule one out.
    advice.recommended = *seq;
    advice.reasons.push_back(
        fmt::format("the fastest, {}, against seq is {}; until then, stay sequential",
                    Describe(*chosen), Withheld(*chosen, *seq)));
  } else if (chosen->speedup < kWorthwhileSpeedup) {
    advice.recommended = seq != nullptr ? *seq : *chosen;
    advice.reasons.push_back(fmt::format(
        "no mode beats seq by {:.1f}x or more (best: {}): the tasks are too small or the "
        "work does not divide on {} core{}; stay sequential, make tasks bigger, or vectorise",
        kWorthwhileSpeedup, Describe(*best), input.usable_cores,
        input.usable_cores == 1 ? "" : "s"));
  } else {
    advice.recommended = *chosen;
    advice.reasons.push_back(fmt::format("fastest measured: {}", Describe(*best)) +
                             (chosen != best ? fmt::format("; {} is within {:.0f}% and preferred",
                                                           Describe(*chosen), 100 * kTieFraction)
                                             : ""));
  }

  const ModeProbe* gil = FindProbe(input.probes, pb::GIL);
  const ModeProbe* threads = FindProbe(input.probes, pb::THREADS);
  const ModeProbe* procs = FindProbe(input.probes, pb::PROCS);
  if (gil != nullptr && threads != nullptr) {
    if (threads->speedup < kWorthwhileSpeedup) {
      // Without scaling threads there is nothing for the lock to take away.
      advice.reasons.push_back(fmt::format(
          "threads do not scale here even without the lock ({:.2f}x): too little work per "
          "task, or the cores are busy; what the lock costs cannot be seen",
          threads->speedup));
    } else if (Against(*gil, *threads) == Order::kUnclear) {
      advice.reasons.push_back("threads under the global lock against threads without it are " +
                               Withheld(*gil, *threads));
    } else if (gil->speedup < 0.8 * threads->speedup) {
      advice.reasons.push_back(
          fmt::format("under the global lock threads reach {:.2f}x against {:.2f}x without it: the "
                      "kernel holds the lock, so Python threads would not help",
                      gil->speedup, threads->speedup));
    } else {
      advice.reasons.push_back(fmt::format(
          "under the global lock threads still reach {:.2f}x ({:.2f}x without it): the lock "
          "is released, so Python threads would help",
          gil->speedup, threads->speedup));
    }
  }
  if (advice.branch == AdviceBranch::kUsesBlasThreads) {
    const ModeProbe* blas = FindProbe(input.probes, pb::BLAS);
    if (blas != nullptr && procs != nullptr) {
      advice.reasons.push_back(fmt::format(
          "threads inside one call (blas, {} threads) {:.2f}x against processes (procs, {} "
          "workers) {:.2f}x",
          blas->threads, blas->speedup, procs->workers, procs->speedup));
    }
  }
  if (advice.branch == AdviceBranch::kReleasesLock && advice.recommended.mode != pb::SEQ) {
    advice.reasons.push_back(
        "waiting tasks occupy no core: more threads than cores help, up to the number of "
        "waits in flight (the notebook's 10 threads for 10 waits)");
  }
  advice.reasons.push_back(
      fmt::format("the notebook's rule for this branch, {}: {}", advice.notebook_rule,
                  rule == nullptr ? "not probed"
                  : !rule_clear   ? Describe(*rule) + " against seq is " + Withheld(*rule, *seq)
                  : advice.notebook_rule_holds ? "holds here, " + Describe(*rule)
                                               : "does not pay here, " + Describe(*rule)));

  // Oversubscription: what the recommendation, or the same work in Python
  // processes, would start against the cores there are.
  const ModeProbe& r = advice.recommended;
  if (r.units > input.usable_cores) {
    advice.warnings.push_back(fmt::format(
        "{} with {} workers x {} threads occupies {} units on {} usable core{}: oversubscribed",
        ModeName(r.mode), r.workers, r.threads, r.units, input.usable_cores,
        input.usable_cores == 1 ? "" : "s"));
  }
  if (r.mode == pb::PROCS || r.mode == pb::HYBRID) {
    const int blas_threads = input.env_blas_threads.value_or(input.usable_cores);
    const int processes = r.workers;
    if (input.uses_threads && processes * blas_threads > input.usable_cores) {
      advice.warnings.push_back(fmt::format(
          "{} processes x {} BLAS threads each ({}) = {} threads on {} usable core{}: "
          "a process pool in this environment would oversubscribe; set "
          "OMP_NUM_THREADS={} (and OPENBLAS_NUM_THREADS) for the workers",
          processes, blas_threads,
          input.env_blas_threads ? "from OMP_NUM_THREADS/OPENBLAS_NUM_THREADS"
                                 : "unset: BLAS starts one per core",
          processes * blas_threads, input.usable_cores, input.usable_cores == 1 ? "" : "s",
          std::max(1, input.usable_cores / std::max(1, processes))));
    }
  }
  if (input.uses_threads && input.env_blas_threads &&
      *input.env_blas_threads > input.usable_cores) {
    advice.warnings.push_back(fmt::format(
        "the environment asks for {} BLAS threads per process on {} usable core{}",
        *input.env_blas_threads, input.usable_cores, input.usable_cores == 1 ? "" : "s"));
  }
  return advice;
}

}  // namespace parlab
