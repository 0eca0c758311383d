#include "coordinator/observe/report_page.h"

#include <fmt/format.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <map>

#include "coordinator/observe/report_charts.h"
#include "coordinator/observe/report_tables.h"
#include "coordinator/observe/svg_chart.h"
#include "coordinator/runtime/job_spec.h"

namespace parlab {
namespace {

// Inline, so the file needs nothing else; system fonts only.
constexpr const char* kStyle = R"(
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
       margin: 24px auto; max-width: 1400px; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 18px; border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 36px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
.meta { color: #666; font-size: 12px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 12.5px; }
th, td { border-bottom: 1px solid #eee; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f6f6; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.ref td { background: #fafaf2; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.charts figure { margin: 0; border: 1px solid #eee; border-radius: 6px; padding: 8px; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg.chart rect[fill]:hover, svg.chart circle:hover { opacity: 0.75; }
ul.warnings li { color: #8a4b00; }
ul.notes li { color: #555; }
pre#selfcheck { color: #999; font-size: 11px; }
)";

// Runs while the page is parsed, after every chart: a chart of zero size
// (a broken SVG, a CSS mistake) or a script error shows in the verdict.
constexpr const char* kSelfCheck = R"(<script>
(function () {
  var charts = document.querySelectorAll('svg.chart');
  var zero = 0;
  for (var i = 0; i < charts.length; i++) {
    var box = charts[i].getBoundingClientRect();
    if (!(box.width > 0 && box.height > 0)) zero++;
  }
  document.getElementById('selfcheck').textContent =
      'charts=' + charts.length + ' zero=' + zero + ' errors=' + window.parlabErrors.length;
})();
</script>
)";

constexpr const char* kErrorHook = R"(<script>
window.parlabErrors = [];
window.addEventListener('error', function (e) { window.parlabErrors.push(String(e.message)); });
</script>
)";

std::string Figure(const std::string& svg) {
  return svg.empty() ? "" : "<figure>\n" + svg + "</figure>\n";
}

std::string Charts(const std::vector<std::string>& svgs) {
  std::string inner;
  for (const std::string& svg : svgs) inner += Figure(svg);
  return inner.empty() ? "" : "<div class=charts>\n" + inner + "</div>\n";
}

std::vector<std::string> Lines(const google::protobuf::RepeatedPtrField<std::string>& field) {
  return {field.begin(), field.end()};
}

PhaseBar BarOf(const pb::JobSummary& s, const std::string& label) {
  return {label,
          {s.encode_median_us(), s.wake_median_us(), s.decode_median_us(), s.return_median_us()}};
}

PhaseBar BarOf(const pb::LogAnalysis& log, const std::string& label) {
  PhaseBar bar{label, {}};
  for (const pb::PhaseStats& phase : log.phases()) {
    for (size_t k = 0; k < kOverheadPhases.size(); ++k) {
      if (phase.phase() == kOverheadPhases[k]) bar.phase_us[k] = phase.p50_us();
    }
  }
  return bar;
}

// Compare rows: one series per mode, p = parallel units, each fitted by
// Amdahl when it has a point past p = 1.
std::vector<SpeedupSeries> SeriesOfRows(const std::vector<pb::JobSummary>& rows) {
  std::vector<SpeedupSeries> series;
  std::map<std::string, size_t> index;
  for (const pb::JobSummary& s : rows) {
    if (s.speedup() <= 0) continue;
    auto [it, added] = index.emplace(s.mode(), series.size());
    if (added) series.push_back({s.mode(), {}, std::nullopt});
    series[it->second].points.push_back(
        {static_cast<double>(SummaryParallelUnits(s)), s.speedup()});
  }
  for (SpeedupSeries& s : series) {
    const pb::AmdahlFit fit = FitAmdahl(s.points);
    if (fit.fitted()) s.serial_fraction = fit.serial_fraction();
  }
  return series;
}

std::string SummarySection(const ReportInput& input) {
  const std::string what = input.kind == ReportKind::kRun ? "run" : "compare";
  const std::string workload = input.summaries.empty() ? "" : input.summaries[0].workload();
  std::string out = "<h2>" + HtmlEscape(what + " of " + workload) + " <span class=meta>" +
                    HtmlEscape(input.path) + "</span></h2>\n";
  out += SummaryTable(input.summaries);
  std::vector<PhaseBar> bars;
  for (const pb::JobSummary& s : input.summaries) {
    bars.push_back(BarOf(s, fmt::format("{} {}×{}", s.mode(), s.workers(), s.threads())));
  }
  out += Charts({SpeedupChart(SeriesOfRows(input.summaries), "Speedup against seq, by mode"),
                 PhaseStackChart(bars, "Overhead per task, by phase")});
  std::vector<std::string> warnings;
  std::vector<std::string> notes;
  for (const pb::JobSummary& s : input.summaries) {
    for (const std::string& w : s.warnings()) warnings.push_back(s.mode() + ": " + w);
    for (const std::string& f : s.failed_tasks()) warnings.push_back(s.mode() + ": " + f);
    for (const std::string& n : s.notes()) notes.push_back(s.mode() + ": " + n);
  }
  return out + ListOf(warnings, "warnings") + ListOf(notes, "notes");
}

std::string SweepSection(const ReportInput& input) {
  const pb::SweepReport& sweep = input.sweep;
  std::string out = "<h2>" + HtmlEscape("sweep of " + sweep.workload()) + " <span class=meta>" +
                    HtmlEscape(input.path) + "</span></h2>\n";
  out += fmt::format("<p class=meta>{} tasks a trial, {} warmup, {} trials, {} usable cores</p>\n",
                     sweep.tasks(), sweep.warmup(), sweep.trials(), sweep.usable_cores());
  out += SweepTable(sweep);
  std::vector<SpeedupSeries> series;
  std::vector<PhaseBar> bars;
  bars.push_back(BarOf(sweep.reference(), "seq (reference)"));
  for (const pb::SweepSeries& s : sweep.series()) {
    SpeedupSeries line{s.mode(), {}, std::nullopt};
    // seq is S = 1 at p = 1, where a series without a 1-worker point starts.
    const bool has_one =
        std::any_of(s.points().begin(), s.points().end(),
                    [](const pb::SweepPoint& p) { return p.parallel_units() == 1; });
    if (!has_one) line.points.push_back({1, 1});
    for (const pb::SweepPoint& p : s.points()) {
      line.points.push_back({static_cast<double>(p.parallel_units()), p.speedup()});
      bars.push_back(BarOf(p.summary(), fmt::format("{} ×{}", s.mode(), p.workers())));
    }
    if (s.amdahl().fitted()) line.serial_fraction = s.amdahl().serial_fraction();
    series.push_back(std::move(line));
  }
  out += Charts({SpeedupChart(series, "Speedup against workers, with the Amdahl fit"),
                 PhaseStackChart(bars, "Overhead per task, by phase")});
  return out + ListOf(Lines(sweep.warnings()), "warnings") + ListOf(Lines(sweep.notes()), "notes");
}

std::string AnalysesSection(const ReportInput& input) {
  std::vector<pb::LogAnalysis> logs(input.analyses.logs().begin(), input.analyses.logs().end());
  std::string out = "<h2>analyse <span class=meta>" + HtmlEscape(input.path) + "</span></h2>\n";
  out += LogTable(logs);
  std::vector<PhaseBar> bars;
  std::vector<std::string> charts;
  for (const pb::LogAnalysis& log : logs) bars.push_back(BarOf(log, log.path()));
  charts.push_back(PhaseStackChart(bars, "Overhead per task, by phase"));
  for (const pb::LogAnalysis& log : logs) {
    std::vector<pb::HistogramBin> bins(log.overhead_histogram().begin(),
                                       log.overhead_histogram().end());
    charts.push_back(HistogramChart(bins, "Overhead per task: " + log.path()));
  }
  return out + Charts(charts) + TaskIssueTable(logs);
}

// The machine line of a log's header: CPU, GEMM back-end, OpenBLAS core.
std::string MachineOf(const LogContents& log) {
  if (!log.header || log.header->env_json().empty()) return "";
  google::protobuf::Struct env;
  if (!google::protobuf::util::JsonStringToMessage(log.header->env_json(), &env).ok()) return "";
  const auto text = [&env](const char* group, const char* key) -> std::string {
    const auto g = env.fields().find(group);
    if (g == env.fields().end() || !g->second.has_struct_value()) return "";
    const auto& fields = g->second.struct_value().fields();
    const auto v = fields.find(key);
    return v != fields.end() && v->second.has_string_value() ? v->second.string_value() : "";
  };
  std::string cpu = text("cpu", "model");
  std::string line = "CPU " + (cpu.empty() ? std::string("unknown") : cpu);
  if (const std::string gemm = text("blas", "gemm_backend"); !gemm.empty()) {
    line += "; GEMM: " + gemm;
  }
  if (const std::string core = text("blas", "openblas_corename"); !core.empty()) {
    line += "; OpenBLAS core " + core;
    if (const std::string choice = text("blas", "openblas_core_choice"); !choice.empty()) {
      line += " (" + choice + ")";
    }
  }
  return log.path + ": " + line;
}

std::string LogsSection(const std::vector<const ReportInput*>& logs, size_t timeline_tasks) {
  std::vector<pb::LogAnalysis> analyses;
  for (const ReportInput* input : logs) analyses.push_back(input->analysis);
  std::string out = logs.size() == 1
                        ? "<h2>log <span class=meta>" + HtmlEscape(logs[0]->path) + "</span></h2>\n"
                        : fmt::format("<h2>{} logs side by side</h2>\n", logs.size());
  out += LogTable(analyses);

  // Speedup needs a reference: a seq log among them.
  std::vector<std::string> charts;
  const pb::LogAnalysis* seq = nullptr;
  for (const pb::LogAnalysis& a : analyses) {
    if (a.job().mode() == pb::SEQ && a.wall_s() > 0 && a.trials() > 0) seq = &a;
  }
  if (seq != nullptr) {
    std::vector<SpeedupSeries> series;
    std::map<std::string, size_t> index;
    const double reference = seq->wall_s() / seq->trials();
    for (const pb::LogAnalysis& a : analyses) {
      if (a.wall_s() <= 0 || a.trials() <= 0 || &a == seq) continue;
      auto [it, added] = index.emplace(a.mode(), series.size());
      if (added) series.push_back({a.mode(), {{1, 1}}, std::nullopt});
      series[it->second].points.push_back(
          {static_cast<double>(ParallelUnits(a.job())), reference / (a.wall_s() / a.trials())});
    }
    for (SpeedupSeries& s : series) {
      const pb::AmdahlFit fit = FitAmdahl(s.points);
      if (fit.fitted()) s.serial_fraction = fit.serial_fraction();
    }
    charts.push_back(SpeedupChart(series, "Speedup against the seq log (" + seq->path() + ")"));
  }
  std::vector<PhaseBar> bars;
  for (const pb::LogAnalysis& a : analyses)
    bars.push_back(BarOf(a, a.path() + " (" + a.mode() + ")"));
  charts.push_back(PhaseStackChart(bars, "Overhead per task, by phase"));
  for (const pb::LogAnalysis& a : analyses) {
    std::vector<pb::HistogramBin> bins(a.overhead_histogram().begin(),
                                       a.overhead_histogram().end());
    charts.push_back(HistogramChart(bins, "Overhead per task: " + a.path()));
  }
  out += Charts(charts);
  for (const ReportInput* input : logs) {
    out += Charts({TimelineChart(
        input->log.records, timeline_tasks,
        fmt::format("First tasks per worker: {} ({})", input->path, input->analysis.mode()))});
  }
  out += TaskIssueTable(analyses);
  std::vector<std::string> problems;
  for (const pb::LogAnalysis& a : analyses) {
    for (const pb::LogProblem& p : a.problems()) {
      problems.push_back(fmt::format("{}:{}: {}", a.path(), p.line(), p.message()));
    }
  }
  return out + ListOf(problems, "warnings");
}

}  // namespace

std::string RenderReportPage(const std::vector<ReportInput>& inputs, const ReportMachine& machine,
                             const ReportPageOptions& options) {
  std::string body;
  std::vector<const ReportInput*> logs;
  std::vector<std::string> sources;
  for (const ReportInput& input : inputs) {
    sources.push_back(input.path + " (" + std::string(ReportKindName(input.kind)) + ")");
    switch (input.kind) {
      case ReportKind::kLog:
        logs.push_back(&input);
        break;
      case ReportKind::kRun:
      case ReportKind::kCompare:
        body += SummarySection(input);
        break;
      case ReportKind::kSweep:
        body += SweepSection(input);
        break;
      case ReportKind::kAnalysis:
        body += AnalysesSection(input);
        break;
    }
  }
  if (!logs.empty()) body += LogsSection(logs, options.timeline_tasks);

  std::vector<std::string> machines;
  for (const ReportInput* log : logs) {
    if (std::string line = MachineOf(log->log); !line.empty()) machines.push_back(line);
  }
  machines.push_back("this report was made on: CPU " + machine.cpu_model +
                     "; GEMM: " + machine.gemm_backend + "; OpenBLAS core " +
                     machine.openblas_core + " (" + machine.openblas_core_choice + ")");

  std::string page =
      "<!DOCTYPE html>\n<html lang=en>\n<head>\n<meta charset=utf-8>\n"
      "<meta name=viewport content=\"width=device-width, initial-scale=1\">\n"
      "<title>parlab report</title>\n<style>" +
      std::string(kStyle) + "</style>\n" + kErrorHook + "</head>\n<body>\n<h1>parlab report</h1>\n";
  page += "<p class=meta>" + HtmlEscape("inputs: ");
  for (size_t i = 0; i < sources.size(); ++i) {
    page += (i == 0 ? "" : ", ") + HtmlEscape(sources[i]);
  }
  if (!options.generated.empty()) page += " · " + HtmlEscape("made " + options.generated);
  page += "</p>\n" + body;
  page += "<h2>Machine</h2>\n" + ListOf(machines, "notes");
  page +=
      "<p class=meta>Hover a point, bar or task for its numbers. Charts are inline SVG; "
      "nothing here is loaded from elsewhere.</p>\n<pre id=selfcheck>self-check did not run "
      "(scripts off?)</pre>\n";
  page += kSelfCheck;
  page += "</body>\n</html>\n";
  return page;
}

int CountReportCharts(const std::string& page) {
  int count = 0;
  const std::string needle = "<svg class=\"chart\"";
  for (size_t at = page.find(needle); at != std::string::npos; at = page.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

}  // namespace parlab
