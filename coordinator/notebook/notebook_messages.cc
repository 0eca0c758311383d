#include "coordinator/notebook/notebook_messages.h"

#include <string>

#include "coordinator/runtime/job_spec.h"

namespace parlab {
namespace {

void CopyProbe(const ModeProbe& probe, pb::AdviseReport::Probe& out) {
  out.set_mode(std::string(ModeName(probe.mode)));
  out.set_workers(probe.workers);
  out.set_threads(probe.threads);
  out.set_units(probe.units);
  out.set_tasks(probe.tasks);
  out.set_wall_mean_s(probe.wall_mean_s);
  out.set_wall_std_s(probe.wall_std_s);
  out.set_speedup(probe.speedup);
  out.set_ci95_low_s(probe.timing.ci95_low_s);
  out.set_ci95_high_s(probe.timing.ci95_high_s);
}

}  // namespace

pb::MemoryReport MemoryMessage(const MemoryReport& report) {
  pb::MemoryReport m;
  m.set_n(report.n);
  for (size_t i = 0; i < report.types.size(); ++i) {
    const MatrixTypeSize& type = report.types[i];
    pb::MemoryReport::MatrixType& row = *m.add_types();
    row.set_name(type.name);
    row.set_eigen_type(type.eigen_type);
    row.set_element_bytes(type.element_bytes);
    row.set_bytes(type.bytes);
    if (i < report.measured_types.size()) {
      const MatrixResidency& measured = report.measured_types[i];
      row.set_eigen_bytes(measured.eigen_bytes);
      if (measured.resident_known) row.set_resident_bytes(measured.resident_bytes);
    }
  }
  *m.mutable_conv() = report.conv;
  for (const CnnRow& layer : report.cnn.rows) {
    pb::MemoryReport::CnnRow& row = *m.add_cnn();
    row.set_name(layer.name);
    row.set_shape(layer.shape);
    row.set_param_bytes(layer.param_bytes);
    row.set_output_bytes(layer.output_bytes);
    row.set_im2col_bytes(layer.im2col_bytes);
  }
  m.set_cnn_total_bytes(report.cnn.total_bytes);
  m.set_kernel_input_bytes(report.cnn.kernel_input_bytes);
  m.set_kernel_output_bytes(report.cnn.kernel_output_bytes);
  m.set_kernel_scratch_bytes(report.cnn.kernel_scratch_bytes);
  m.set_kernel_live_bytes(report.cnn.kernel_live_bytes());
  if (report.peak.has_value()) {
    pb::MemoryReport::Peak& peak = *m.mutable_peak();
    peak.set_baseline_rss_bytes(report.peak->baseline_rss_bytes);
    peak.set_buffers_rss_bytes(report.peak->buffers_rss_bytes);
    peak.set_peak_rss_bytes(report.peak->peak_rss_bytes);
    peak.set_kernel_share_bytes(report.peak->kernel_share_bytes());
    peak.set_threads(report.peak->threads);
  }
  m.set_peak_note(report.peak_note);
  return m;
}

pb::ProfileReport ProfileMessage(const ProfileReport& report, const std::optional<PerfStat>& perf) {
  pb::ProfileReport m;
  m.set_workload(report.workload);
  m.set_runs(report.runs);
  m.set_threads(report.threads);
  m.set_wall_total_s(report.wall_total_s);
  m.set_staged_total_s(report.staged_total_s);
  m.set_unstaged_s(report.unstaged_s());
  for (const StageRow& stage : report.stages) {
    pb::ProfileReport::Stage& row = *m.add_stages();
    row.set_name(stage.name);
    row.set_calls(stage.calls);
    row.set_total_s(stage.total_s);
    row.set_per_call_s(stage.per_call_s);
    row.set_share(stage.share);
  }
  if (perf.has_value()) {
    pb::ProfileReport::Perf& out = *m.mutable_perf();
    out.set_ran(perf->ran);
    out.set_note(perf->note);
    out.set_command(perf->command);
    for (const PerfEvent& event : perf->events) {
      pb::ProfileReport::PerfEvent& row = *out.add_events();
      row.set_name(event.name);
      if (event.value.has_value()) row.set_value(*event.value);
      row.set_why_not(event.why_not);
    }
  }
  return m;
}

pb::AdviseReport AdviseMessage(const AdviceReport& report) {
  pb::AdviseReport m;
  const AdviceInput& input = report.input;
  m.set_workload(input.workload);
  m.set_releases_lock(input.releases_lock);
  m.set_uses_threads(input.uses_threads);
  m.set_usable_cores(input.usable_cores);
  if (input.env_blas_threads.has_value()) m.set_env_blas_threads(*input.env_blas_threads);
  m.set_tasks(report.tasks);
  m.set_trials(report.trials);
  m.set_sizing(report.sizing);
  for (const ModeProbe& probe : input.probes) CopyProbe(probe, *m.add_probes());
  const Advice& advice = report.advice;
  m.set_branch(advice.branch_text);
  m.set_notebook_mode(std::string(ModeName(advice.notebook_mode)));
  m.set_notebook_rule(advice.notebook_rule);
  m.set_notebook_rule_holds(advice.notebook_rule_holds);
  CopyProbe(advice.recommended, *m.mutable_recommended());
  for (const std::string& reason : advice.reasons) m.add_reasons(reason);
  for (const std::string& warning : advice.warnings) m.add_warnings(warning);
  return m;
}

}  // namespace parlab
