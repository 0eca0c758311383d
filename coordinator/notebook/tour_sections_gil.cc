// Tour sections 1–2: the GIL experiment, and when the lock is released.

#include <fmt/format.h>

#include <string_view>

#include "coordinator/notebook/tour_grain.h"
#include "coordinator/notebook/tour_measure.h"
#include "coordinator/notebook/tour_section.h"
#include "coordinator/report/verdict.h"
#include "coordinator/runtime/task_grain.h"
#include "shared/kernels/kernel.h"

namespace parlab {
namespace {

// Adds Python's rows for the same experiment, or a note saying why there are none.
void AddPython(const TourContext& context, pb::TourSection& section, const std::string& script,
               const std::vector<std::string>& args,
               const std::vector<std::pair<std::string, std::string>>& keys, double timeout_s) {
  context.Step("python3 " + script);
  Result<google::protobuf::Struct> answer = context.python.Run(script, args, timeout_s);
  if (!answer.ok()) {
    section.add_notes("Python: " + answer.status().message());
    return;
  }
  for (pb::TourRow& row : PythonRows(*answer, keys)) *section.add_rows() = std::move(row);
}

const pb::TourRow* Row(const pb::TourSection& section, const std::string& label) {
  for (const pb::TourRow& row : section.rows()) {
    if (row.label() == label) return &row;
  }
  return nullptr;
}

// What the lock's row says, given what threads without it did: the lock can
// only be blamed when threads without it gained and threads under it did not.
// And only when the two rows are told apart by report/verdict.h's rule.
std::string LockVerdict(const pb::TourRow& gil, const pb::TourRow& threads,
                        std::string_view remedy) {
  const bool locked_gain = ScalingWord(gil.speedup(), 2) != "no gain";
  const bool free_gain = ScalingWord(threads.speedup(), 2) != "no gain";
  if (locked_gain) return "more than one thread ran at a time: the lock did not serialise this run";
  if (free_gain && CompareTimings(TimingOf(threads), TimingOf(gil)) == Order::kUnclear) {
    return "threads with and without the lock are " +
           NotDistinguishable(TimingOf(threads), TimingOf(gil), remedy);
  }
  if (free_gain) {
    return fmt::format(
        "the lock serialises pure-loop work: without it the same threads ran {}, under it one "
        "thread runs at a time",
        Times(threads.speedup()));
  }
  return "but threads without the lock gained nothing either: no second core was free for this "
         "run (a busy machine?), so the lock's own effect cannot be told apart";
}

// The loop's experiment name, for its TourGrain.
constexpr const char* kGilExperiment = "the GIL experiment, loop ×2";
constexpr int64_t kGilNotebookN = 5'000'000;

Status RunGil(TourContext& context, pb::TourSection& section) {
  // CPython first: its task's time is what the native task is sized by.
  const int64_t python_n = context.quick ? 1'000'000 : kGilNotebookN;
  AddPython(
      context, section, "gil_threads.py",
      {"--n", std::to_string(python_n), "--tasks", "2", "--trials", context.quick ? "1" : "3"},
      {{"seq_s", "Python: sequential (2 tasks)"},
       {"threads_s", "Python: 2 threads (CPython's GIL)"},
       {"procs_s", "Python: 2 processes (multiprocessing)"}},
      context.quick ? 60 : 180);
  Result<pb::TourGrain> grain =
      SizeLoopExperiment(context, section, kGilExperiment, kGilNotebookN,
                         PythonTaskOf(section, "Python: sequential (2 tasks)", 2, python_n));
  if (!grain.ok()) return grain.status();
  const int64_t n = grain->n();
  const int warmup = context.quick ? 1 : 2;
  // seq and gil run 2 tasks one after the other: a trial lasts two tasks.
  const int trials =
      TrialsWithin(context.quick ? 0.3 : 2.0, 2 * grain->task_s(), 3, context.quick ? 5 : 20);
  PARLAB_ASSIGN_OR_RETURN(KernelParams loop, KernelWithN("loop", n));
  context.Step("loop: seq, threads, gil, procs");
  Result<std::vector<pb::TourRow>> rows =
      CompareModes(loop,
                   {{"sequential (2 tasks)", pb::SEQ, 1, 1},
                    {"2 threads", pb::THREADS, 2, 1},
                    {"2 threads under the lock (gil)", pb::GIL, 2, 1},
                    {"2 processes (procs)", pb::PROCS, 2, 1}},
                   /*tasks=*/2, warmup, trials, context.task_line);
  if (!rows.ok()) return rows.status();
  // parlab's rows first, as the conclusions read them.
  google::protobuf::RepeatedPtrField<pb::TourRow> python_rows;
  python_rows.Swap(section.mutable_rows());
  for (pb::TourRow& row : *rows) *section.add_rows() = row;
  for (pb::TourRow& row : python_rows) *section.add_rows() = std::move(row);

  const pb::TourRow& seq = (*rows)[0];
  const pb::TourRow& threads = (*rows)[1];
  const pb::TourRow& gil = (*rows)[2];
  const pb::TourRow& procs = (*rows)[3];
  auto reads = [](const pb::TourRow& row) {
    return fmt::format("{} ({})", Times(row.speedup()), ScalingWord(row.speedup(), 2));
  };
  const std::string_view remedy = context.quick ? kQuickRemedy : kQuietRemedy;
  section.add_conclusions(fmt::format("threads under the lock: {} — {}", reads(gil),
                                      LockVerdict(gil, threads, remedy)));
  const Order procs_vs_gil = CompareTimings(TimingOf(procs), TimingOf(gil));
  section.add_conclusions(
      fmt::format("threads without the lock: {}; processes: {} — {}", reads(threads), reads(procs),
                  procs_vs_gil == Order::kUnclear
                      ? "processes against threads under the lock are " +
                            NotDistinguishable(TimingOf(procs), TimingOf(gil), remedy)
                  : procs_vs_gil == Order::kFaster && procs.speedup() > gil.speedup() * 1.25
                      ? "each process has its own lock, so processes get past it"
                      : "processes did no better than threads under the lock here"));

  const pb::TourRow* py_seq = Row(section, "Python: sequential (2 tasks)");
  const pb::TourRow* py_threads = Row(section, "Python: 2 threads (CPython's GIL)");
  const pb::TourRow* py_procs = Row(section, "Python: 2 processes (multiprocessing)");
  if (py_seq != nullptr && py_threads != nullptr && py_procs != nullptr) {
    section.add_conclusions(
        fmt::format("CPython's real GIL: threads {}, processes {}; the emulated lock: threads {}, "
                    "processes {} — {}",
                    Times(py_threads->speedup()), Times(py_procs->speedup()), Times(gil.speedup()),
                    Times(procs.speedup()),
                    ScalingWord(py_threads->speedup(), 2) == ScalingWord(gil.speedup(), 2)
                        ? "the same verdict for threads"
                        : "different verdicts for threads"));
    const double py_ns = py_seq->mean_s() / (2.0 * static_cast<double>(python_n)) * 1e9;
    const double parlab_ns = seq.mean_s() / (2.0 * static_cast<double>(n)) * 1e9;
    section.add_conclusions(fmt::format(
        "one iteration costs {:.1f} ns in CPython and {:.2f} ns in parlab: the interpreter is "
        "{:.0f}× slower, which is why parlab's task needs n = {} to last as long as CPython's "
        "at n = {}",
        py_ns, parlab_ns, parlab_ns > 0 ? py_ns / parlab_ns : 0, FormatGrainSize(n),
        FormatGrainSize(python_n)));
  }
  return Status::Ok();
}

// One workload under the lock: seq against 2 threads under it.
Status AddReleased(const TourContext& context, pb::TourSection& section, const KernelParams& kernel,
                   const std::string& what, int64_t tasks, bool expect_release, int trials) {
  context.Step(what + ": seq, gil");
  const int warmup = 1;
  Result<std::vector<pb::TourRow>> rows =
      CompareModes(kernel,
                   {{what + ": sequential", pb::SEQ, 1, 1},
                    {what + ": 2 threads under the lock", pb::GIL, 2, 1}},
                   tasks, warmup, trials, context.task_line);
  if (!rows.ok()) return rows.status();
  for (const pb::TourRow& row : *rows) *section.add_rows() = row;
  const double speedup = (*rows)[1].speedup();
  const std::string word = ScalingWord(speedup, 2);
  // A gain is a verdict against seq: only when the intervals separate them.
  const Timing gil = TimingOf((*rows)[1]);
  const Timing seq = TimingOf((*rows)[0]);
  if (word != "no gain" && CompareTimings(gil, seq) != Order::kFaster) {
    section.add_conclusions(
        fmt::format("{} under the lock: {} against seq, {}", what, Times(speedup),
                    NotDistinguishable(gil, seq, context.quick ? kQuickRemedy : kQuietRemedy)));
    return Status::Ok();
  }
  section.add_conclusions(fmt::format(
      "{} under the lock: {} ({}) — {}", what, Times(speedup), word,
      expect_release ? (word == "no gain" ? "expected to overlap (it releases the lock), "
                                            "yet it did not here"
                                          : "the lock is released while it runs")
                     : (word == "no gain" ? "the lock is held throughout"
                                          : "expected to be held, yet threads overlapped")));
  return Status::Ok();
}

Status RunGilReleased(TourContext& context, pb::TourSection& section) {
  const int64_t sleep_ms = context.quick ? 20 : 100;
  const int64_t matmul_n = context.quick ? 200 : 500;
  const Kernel* sleep = FindKernel("sleep");
  if (sleep == nullptr) return Internal("tour: no sleep kernel");
  KernelParams wait = sleep->Defaults();
  wait.set_ms(sleep_ms);
  const int trials = context.quick ? 3 : 5;
  PARLAB_RETURN_IF_ERROR(
      AddReleased(context, section, wait, fmt::format("sleep {} ms", sleep_ms), 4, true, trials));
  PARLAB_ASSIGN_OR_RETURN(KernelParams matmul, KernelWithN("matmul", matmul_n));
  PARLAB_RETURN_IF_ERROR(
      AddReleased(context, section, matmul, fmt::format("matmul n={}", matmul_n), 4, true, trials));
  // The loop sized as section 1 sized it: by the Python task it timed, when it ran.
  PythonTask python;
  if (context.report != nullptr) {
    for (const pb::TourSection& earlier : context.report->sections()) {
      for (const pb::TourGrain& grain : earlier.grains()) {
        if (grain.experiment() != kGilExperiment) continue;
        python.task_s = grain.python_task_s();
        python.n = grain.python_n();
      }
    }
  }
  const std::string what = "loop ×4";
  PARLAB_ASSIGN_OR_RETURN(pb::TourGrain grain,
                          SizeLoopExperiment(context, section, what, kGilNotebookN, python));
  PARLAB_ASSIGN_OR_RETURN(KernelParams loop, KernelWithN("loop", grain.n()));
  PARLAB_RETURN_IF_ERROR(
      AddReleased(context, section, loop, what, 4, false,
                  TrialsWithin(context.quick ? 0.3 : 1.5, 4 * grain.task_s(), 2, trials)));

  AddPython(
      context, section, "sleep_threads.py",
      {"--tasks", "4", "--ms", std::to_string(sleep_ms), "--trials", context.quick ? "1" : "3"},
      {{"seq_s", "Python: sleep, sequential (4 tasks)"},
       {"threads_s", "Python: sleep, 4 threads (CPython's GIL)"}},
      60);
  if (const pb::TourRow* py = Row(section, "Python: sleep, 4 threads (CPython's GIL)")) {
    section.add_conclusions(fmt::format(
        "CPython: 4 sleeping threads ran {} the sequential time — time.sleep releases the GIL",
        Times(py->speedup())));
  }
  return Status::Ok();
}

}  // namespace

TourSection GilSection() {
  return {"gil",
          "1. The GIL experiment: a pure loop on threads, under the lock, on processes",
          "CPython lets one thread at a time run bytecode (the GIL), so the notebook's "
          "`total += i*i` loop (n = 5,000,000, 2 tasks) gains nothing from threads and "
          "needs processes. parlab runs the same loop sequentially, on 2 threads, on 2 threads "
          "under an emulated GIL (switch interval 5 ms, as CPython's), and on 2 worker "
          "processes — with n sized so a native task lasts as long as CPython's: C++ runs the "
          "loop far faster, and a task of a few ms would measure dispatch, not the lock.",
          8,
          4,
          RunGil};
}

TourSection GilReleasedSection() {
  return {"gil-released",
          "2. When the lock is released: waiting and BLAS calls overlap, loops do not",
          "CPython releases the GIL around blocking I/O and inside C extensions such as NumPy's "
          "BLAS calls. The emulated lock does the same for sleep and matmul tasks, and holds "
          "it through the loop: 2 threads under the lock, each workload against sequential.",
          10,
          3,
          RunGilReleased};
}

}  // namespace parlab
