#include "coordinator/notebook/tour_grain.h"

#include <fmt/format.h>

#include <algorithm>

#include "coordinator/notebook/tour_measure.h"
#include "coordinator/runtime/task_grain.h"

namespace parlab {
namespace {

const char* BasisName(GrainBasis basis) {
  switch (basis) {
    case GrainBasis::kGiven:
      return "given";
    case GrainBasis::kReference:
      return "python";
    case GrainBasis::kDispatch:
      return "dispatch";
    case GrainBasis::kMinimum:
      return "minimum";
  }
  return "?";
}

// The two costs the rule needs, measured once: the loop at its fastest on
// this thread, and dispatch on as many workers as the experiments use.
Status MeasureLoopCosts(TourContext& context) {
  if (context.loop_iteration_s > 0 && context.dispatch_s > 0) return Status::Ok();
  context.Step("sizing the loop: one iteration, and dispatch on 2 processes");
  PARLAB_ASSIGN_OR_RETURN(KernelParams loop, KernelWithN("loop", 1'000'000));
  PARLAB_ASSIGN_OR_RETURN(double iteration_s, MeasureUnitCost(loop));
  PARLAB_ASSIGN_OR_RETURN(double dispatch_s, MeasureDispatch(2));
  context.loop_iteration_s = iteration_s;
  context.dispatch_s = dispatch_s;
  return Status::Ok();
}

}  // namespace

Result<pb::TourGrain> SizeLoopExperiment(TourContext& context, pb::TourSection& section,
                                         const std::string& experiment, int64_t notebook_n,
                                         const PythonTask& python) {
  PARLAB_RETURN_IF_ERROR(MeasureLoopCosts(context));
  GrainInput input;
  input.unit_s = context.loop_iteration_s;
  input.given_size = notebook_n;
  input.reference_s = python.task_s;
  input.dispatch_s = context.dispatch_s;
  const Grain grain = ChooseGrain(input);
  pb::TourGrain& out = *section.add_grains();
  out.set_experiment(experiment);
  out.set_n(grain.size);
  out.set_notebook_n(notebook_n);
  out.set_iteration_s(input.unit_s);
  out.set_python_task_s(python.task_s);
  out.set_python_n(python.task_s > 0 ? python.n : 0);
  out.set_dispatch_s(input.dispatch_s);
  out.set_floor_s(grain.floor_s);
  out.set_target_s(grain.target_s);
  out.set_task_s(grain.task_s);
  out.set_basis(BasisName(grain.basis));
  out.set_reason(DescribeGrain(
      grain, input,
      python.task_s > 0 ? fmt::format("the Python task (n = {})", FormatGrainSize(python.n))
                        : std::string("the notebook's Python task")));
  return out;
}

PythonTask PythonTaskOf(const pb::TourSection& section, const std::string& label, int tasks,
                        int64_t n) {
  PythonTask python;
  python.n = n;
  for (const pb::TourRow& row : section.rows()) {
    if (row.label() == label && row.source() == "python" && tasks > 0) {
      python.task_s = row.mean_s() / tasks;
    }
  }
  return python;
}

int TrialsWithin(double budget_s, double trial_s, int fewest, int most) {
  if (trial_s <= 0) return most;
  const double fit = budget_s / trial_s;
  return fit >= most ? most : std::max(fewest, static_cast<int>(fit));
}

std::string GrainLine(const pb::TourGrain& grain) {
  return fmt::format("{}: n = {} (the notebook's: {}) — {}", grain.experiment(),
                     FormatGrainSize(grain.n()), FormatGrainSize(grain.notebook_n()),
                     grain.reason());
}

}  // namespace parlab
