// Tour sections 12–13: the summary of every mode on three workloads, and the
// notebook's decision guide checked against the measurements.

#include <fmt/format.h>

#include <algorithm>

#include "coordinator/notebook/tour_measure.h"
#include "coordinator/notebook/tour_section.h"
#include "coordinator/notebook/tour_sections_shared.h"
#include "coordinator/notebook/tour_verdict.h"
#include "coordinator/report/report_format.h"
#include "coordinator/report/verdict.h"
#include "coordinator/runtime/task_grain.h"

namespace parlab {
namespace {

// What a user can do when the figures carry no verdict.
std::string_view Remedy(const TourContext& context) {
  return context.quick ? kQuickRemedy : kQuietRemedy;
}

Status AddGroup(const TourContext& context, pb::TourSection& section, const std::string& group,
                const KernelParams& kernel, const std::vector<pb::Mode>& modes, int workers,
                int64_t tasks, int trials) {
  context.Step(group);
  std::vector<ModeRun> runs;
  for (pb::Mode mode : modes) {
    const bool blas = mode == pb::BLAS;
    runs.push_back({SummaryLabel(group, mode), mode, blas ? 1 : workers, blas ? context.cores : 1});
  }
  PARLAB_ASSIGN_OR_RETURN(std::vector<pb::TourRow> rows,
                          CompareModes(kernel, runs, tasks, 1, trials, context.task_line));
  for (const pb::TourRow& row : rows) *section.add_rows() = row;
  return Status::Ok();
}

void AddPython(const TourContext& context, pb::TourSection& section, const std::string& script,
               const std::vector<std::string>& args,
               const std::vector<std::pair<std::string, std::string>>& keys) {
  context.Step("python3 " + script);
  Result<google::protobuf::Struct> answer = context.python.Run(script, args, 180);
  if (!answer.ok()) {
    section.add_notes("Python: " + answer.status().message());
    return;
  }
  for (pb::TourRow& row : PythonRows(*answer, keys)) *section.add_rows() = std::move(row);
}

// What the notebook's own n teaches beside the sized rows: how long its task
// lasts natively, against the dispatch cost, and what processes made of it.
std::string NotebookNLesson(const pb::TourSection& section) {
  const pb::TourGrain* grain = FindGrain(section, kSummaryLoop);
  const pb::TourRow* seq_nb = FindRow(section, SummaryLabel(kSummaryLoopNotebookN, pb::SEQ));
  const pb::TourRow* procs_nb = FindRow(section, SummaryLabel(kSummaryLoopNotebookN, pb::PROCS));
  const pb::TourRow* procs = FindRow(section, SummaryLabel(kSummaryLoop, pb::PROCS));
  if (grain == nullptr || seq_nb == nullptr || procs_nb == nullptr || procs == nullptr) return "";
  const double task_nb_s = seq_nb->mean_s() / 2;
  const bool decides = procs_nb->speedup() < 0.85 * procs->speedup();
  std::string lesson = fmt::format(
      "at the notebook's n = {} a native task lasts {}, {:.0f}× the dispatch cost measured here "
      "({} a task), and {}: procs {} there against {} at n = {} ({} a task)",
      FormatGrainSize(grain->notebook_n()), FormatSeconds(task_nb_s),
      grain->dispatch_s() > 0 ? task_nb_s / grain->dispatch_s() : 0,
      FormatSeconds(grain->dispatch_s()),
      decides ? "dispatch decides" : "dispatch did not decide the verdict this time",
      Times(procs_nb->speedup()), Times(procs->speedup()), FormatGrainSize(grain->n()),
      FormatSeconds(grain->task_s()));
  if (grain->python_task_s() > 0 && grain->python_n() > 0 && task_nb_s > 0) {
    const double python_nb_s = grain->python_task_s() / static_cast<double>(grain->python_n()) *
                               static_cast<double>(grain->notebook_n());
    lesson += fmt::format(
        "; CPython needs {} for the same task — the loop is {:.0f}× cheaper in C++, so the "
        "task size at which processes pay moves by as much",
        FormatSeconds(python_nb_s), python_nb_s / task_nb_s);
  }
  return lesson + " (`parlab metg` measures that task size for each mode on this machine)";
}

Status RunSummary(TourContext& context, pb::TourSection& section) {
  if (context.quick) section.add_notes("--quick: matmul n=200 and waits of 20 ms");
  const int trials = context.quick ? 1 : 3;
  // CPython's loop first: its task's time is what parlab's loop is sized by.
  // Its rows go after parlab's, as in every section.
  pb::TourSection python;
  AddPython(context, python, "gil_threads.py",
            {"--n", std::to_string(kSummaryNotebookN), "--tasks", "2", "--trials",
             std::to_string(trials)},
            {{"seq_s", "Python pure CPU, loop ×2: seq"},
             {"threads_s", "Python pure CPU, loop ×2: threads (GIL)"},
             {"procs_s", "Python pure CPU, loop ×2: processes"}});
  PARLAB_RETURN_IF_ERROR(MeasureSummaryRows(
      context, section,
      PythonTaskOf(python, "Python pure CPU, loop ×2: seq", 2, kSummaryNotebookN)));
  AddPython(
      context, python, "sleep_threads.py",
      {"--tasks", "10", "--ms", context.quick ? "20" : "100", "--trials", std::to_string(trials)},
      {{"seq_s", "Python I/O, sleep ×10: seq"},
       {"threads_s", "Python I/O, sleep ×10: 10 threads"}});
  for (pb::TourRow& row : *python.mutable_rows()) *section.add_rows() = std::move(row);
  for (const std::string& note : python.notes()) section.add_notes(note);
  for (const char* group : {kSummaryLoop, kSummaryLoopNotebookN, kSummaryMatmul, kSummarySleep}) {
    const std::string conclusion = GroupConclusion(section, group, Remedy(context));
    if (!conclusion.empty()) section.add_conclusions(conclusion);
  }
  const std::string lesson = NotebookNLesson(section);
  if (!lesson.empty()) section.add_conclusions(lesson);
  return Status::Ok();
}

// --- 13. The decision guide ------------------------------------------------

Status RunDecision(TourContext& context, pb::TourSection& section) {
  // The summary's rows when the tour ran it, else measured now.
  pb::TourSection summary;
  bool reused = false;
  if (context.report != nullptr) {
    for (const pb::TourSection& earlier : context.report->sections()) {
      if (earlier.name() == "summary") {
        summary = earlier;
        reused = true;
      }
    }
  }
  if (!reused) PARLAB_RETURN_IF_ERROR(MeasureSummaryRows(context, summary, PythonTask{}));
  section.add_notes(reused ? "evidence: the summary section's measurements above"
                           : "evidence: the summary's workloads, measured now");

  section.add_conclusions("CPU-bound with BLAS → BLAS threads: " +
                          JudgeGuide(summary, kSummaryMatmul, pb::BLAS,
                                     {pb::SEQ, pb::GIL, pb::PROCS, pb::BLAS}, Remedy(context),
                                     section));
  section.add_conclusions("I/O-bound → threads: " + JudgeGuide(summary, kSummarySleep, pb::THREADS,
                                                               {pb::SEQ, pb::THREADS, pb::PROCS},
                                                               Remedy(context), section));
  // Python's threads are the gil mode: the guide's alternative to processes.
  // The loop's rows are the ones sized by time: at the notebook's n dispatch,
  // not the lock, decides (the summary shows both).
  const pb::TourGrain* grain = FindGrain(summary, kSummaryLoop);
  if (!reused) {
    for (const pb::TourGrain& g : summary.grains()) *section.add_grains() = g;
  }
  section.add_conclusions(
      fmt::format("pure loops → processes{}: ",
                  grain == nullptr
                      ? ""
                      : fmt::format(" (n = {}, {} a task)", FormatGrainSize(grain->n()),
                                    FormatSeconds(grain->task_s()))) +
      JudgeGuide(summary, kSummaryLoop, pb::PROCS, {pb::SEQ, pb::GIL, pb::PROCS}, Remedy(context),
                 section));
  std::string agreement;
  PARLAB_ASSIGN_OR_RETURN(std::vector<pb::TourRow> vector_rows,
                          MeasureVectorisation(context, &agreement));
  for (const pb::TourRow& row : vector_rows) *section.add_rows() = row;
  section.add_conclusions(fmt::format(
      "otherwise → vectorise: the loop in Eigen's vectorised form ran {} the scalar loop on "
      "one thread{}",
      Times(vector_rows.back().speedup()), agreement.empty() ? "" : " (" + agreement + ")"));
  return Status::Ok();
}

}  // namespace

Status MeasureSummaryRows(TourContext& context, pb::TourSection& section,
                          const PythonTask& python) {
  const int trials = context.quick ? 3 : 5;
  Result<pb::TourGrain> grain =
      SizeLoopExperiment(context, section, kSummaryLoop, kSummaryNotebookN, python);
  if (!grain.ok()) return grain.status();
  PARLAB_ASSIGN_OR_RETURN(KernelParams loop, KernelWithN("loop", grain->n()));
  PARLAB_RETURN_IF_ERROR(
      AddGroup(context, section, kSummaryLoop, loop, {pb::SEQ, pb::THREADS, pb::GIL, pb::PROCS}, 2,
               SummaryTasks(kSummaryLoop),
               TrialsWithin(context.quick ? 0.3 : 1.0, 2 * grain->task_s(), 3, trials * 2)));
  // The notebook's own n, kept to show what sizing by time changed.
  PARLAB_ASSIGN_OR_RETURN(KernelParams notebook_loop, KernelWithN("loop", kSummaryNotebookN));
  PARLAB_RETURN_IF_ERROR(AddGroup(context, section, kSummaryLoopNotebookN, notebook_loop,
                                  {pb::SEQ, pb::THREADS, pb::GIL, pb::PROCS}, 2,
                                  SummaryTasks(kSummaryLoopNotebookN), trials * 2));
  PARLAB_ASSIGN_OR_RETURN(KernelParams matmul, KernelWithN("matmul", context.quick ? 200 : 500));
  PARLAB_RETURN_IF_ERROR(AddGroup(context, section, kSummaryMatmul, matmul,
                                  {pb::SEQ, pb::THREADS, pb::GIL, pb::PROCS, pb::BLAS}, 2,
                                  SummaryTasks(kSummaryMatmul), trials));
  const Kernel* sleep = FindKernel("sleep");
  if (sleep == nullptr) return Internal("tour: no sleep kernel");
  KernelParams wait = sleep->Defaults();
  wait.set_ms(context.quick ? 20 : 100);
  return AddGroup(context, section, kSummarySleep, wait, {pb::SEQ, pb::THREADS, pb::GIL, pb::PROCS},
                  10, SummaryTasks(kSummarySleep), context.quick ? 2 : 3);
}

TourSection SummarySection() {
  return {"summary",
          "12. Summary: every mode on pure CPU, BLAS and I/O work",
          "The notebook's closing experiment: a pure loop (n = 1,000,000, 2 tasks), 500×500 "
          "matmul ×10, and 10 waits of 0.1 s, each sequential and in every mode (2 workers; "
          "10 for the waits; blas spends the cores inside one call). Speedups against seq. "
          "The loop's n is sized so a native task lasts as long as CPython's and well above "
          "the cost of dispatching it (printed below); the notebook's n is measured too.",
          20,
          6,
          RunSummary};
}

TourSection DecisionSection() {
  return {"decision",
          "13. The decision guide, checked on this machine",
          "The notebook's guide: CPU-bound work with BLAS → let BLAS use its threads; I/O-bound "
          "→ threads; pure loops that cannot be vectorised → processes; otherwise vectorise. "
          "Each branch against the fastest mode measured for that kind of work.",
          1,
          1,
          RunDecision};
}

}  // namespace parlab
