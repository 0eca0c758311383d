#include "coordinator/cli/tour_command.h"

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "coordinator/cli/format_flags.h"
#include "coordinator/notebook/tour_child.h"
#include "coordinator/notebook/tour_measure.h"
#include "coordinator/notebook/tour_render.h"
#include "coordinator/notebook/tour_section.h"
#include "coordinator/report/ceiling.h"
#include "coordinator/report/env_report.h"
#include "coordinator/report/load_report.h"
#include "coordinator/report/progress.h"
#include "coordinator/report/report_format.h"
#include "coordinator/runtime/ceiling_probe.h"
#include "shared/clock.h"

namespace parlab {
namespace {

struct TourOptions {
  bool quick = false;
  std::string section;
  bool json = false;
  bool list = false;
  int child_probe = -1;  // the child's mode (tour_child.h); hidden
  int child_trials = 3;
};

std::string Duration(double seconds) {
  if (seconds < 90) return fmt::format("{:.0f} s", seconds);
  return fmt::format("{:.0f} min", seconds / 60);
}

int RunTour(const TourOptions& options) {
  if (options.child_probe >= 0) {
    return ExitCodeOf(ChildProbeMain(options.child_probe, options.child_trials));
  }
  if (options.list) {
    for (const TourSection& section : TourSections()) {
      std::cout << fmt::format("{:<18} {}\n", section.name, section.title);
    }
    return kExitOk;
  }
  Result<std::vector<const TourSection*>> selected = SelectTourSections(options.section);
  if (!selected.ok()) return ReportError(selected.status());

  TourContext context;
  context.quick = options.quick;
  context.env = CollectEnvReport();  // before any section changes a thread count
  context.cores = UsableCores();
  context.python = PythonRunner::Find();
  pb::TourReport report;
  report.set_quick(options.quick);
  report.set_python(context.python.available() ? context.python.description()
                                               : "none: " + context.python.description());
  context.report = &report;
  double expected_s = 0;
  for (const TourSection* section : *selected) {
    expected_s += options.quick ? section->expected_quick_s : section->expected_full_s;
  }
  report.set_expected_s(expected_s);

  // Text goes to stdout; with --json stdout holds only the report, so the
  // running commentary goes to stderr.
  std::ostream& say = options.json ? std::cerr : std::cout;
  say << fmt::format(
      "parlab tour{}: {} section{}, expected to take about {} on a quiet 2-core machine "
      "(longer when it is busy)\n",
      options.quick ? " --quick" : "", selected->size(), selected->size() == 1 ? "" : "s",
      Duration(expected_s));
  say << "Python beside parlab: " << report.python() << "\n" << std::flush;

  // The machine's ceiling before each section and after the last (while no
  // section's threads or workers run): every speedup below is read against it.
  Result<CeilingProbe> ceiling_probe = CeilingProbe::Make(CeilingOptions{});
  if (!ceiling_probe.ok()) return ReportError(ceiling_probe.status());
  std::vector<pb::CeilingProbe> ceiling_probes = {ceiling_probe->Probe("before")};
  say << CeilingLine(SummarizeCeiling(context.cores, ceiling_probes))
      << " — read each speedup below against it\n"
      << std::flush;

  // Within a section, one line on stderr (a terminal only) names the step
  // ("[2/14] gil: loop: seq, threads, gil, procs") and counts the tasks of
  // the step's jobs as the modes finish them, with their rate and ETA.
  std::unique_ptr<Progress> line = Progress::OnStderr(0);
  context.task_line = line.get();
  const int64_t tour_start_ns = NowNs();
  bool failed = false;
  for (size_t i = 0; i < selected->size(); ++i) {
    const TourSection& section = *(*selected)[i];
    const std::string prefix = fmt::format("[{}/{}] {}", i + 1, selected->size(), section.name);
    // A line per section on stderr: the full tour takes minutes, and a
    // section's table appears only once it has finished.
    line->Clear();
    std::cerr << fmt::format(
        "{} (about {})\n", prefix,
        Duration(options.quick ? section.expected_quick_s : section.expected_full_s));
    context.progress = [&](const std::string& what) {
      line->StartCount(0);  // a step without jobs counts nothing; one with them starts its own
      line->SetStage(prefix + ": " + what);
    };
    pb::TourSection result;
    result.set_name(section.name);
    result.set_title(section.title);
    result.set_explanation(section.explanation);
    const int64_t start_ns = NowNs();
    const LoadWatch load;
    const Status status = section.run(context, result);
    *result.mutable_load() = load.Finish(context.cores);
    result.set_duration_s(static_cast<double>(NowNs() - start_ns) * 1e-9);
    line->StartCount(0);
    line->SetStage(prefix + ": probing the machine's ceiling");
    // The probe right after the section (and before the next) closes the
    // section's own ceiling: what the machine delivered around its trials.
    const bool last = i + 1 == selected->size();
    ceiling_probes.push_back(
        ceiling_probe->Probe(last ? "after" : "before " + std::string((*selected)[i + 1]->name)));
    *result.mutable_ceiling() = SummarizeCeiling(
        context.cores, {ceiling_probes[ceiling_probes.size() - 2], ceiling_probes.back()});
    SetPossibleSpeedups(result, result.ceiling());
    line->Clear();
    if (!status.ok()) {
      failed = true;
      result.add_notes("the section failed: " + status.ToString());
      std::cerr << "parlab: tour section " << section.name << ": " << status.ToString() << "\n";
    }
    if (!options.json) {
      PrintTourSection(result, std::cout);
      std::cout << std::flush;
    }
    *report.add_sections() = std::move(result);
  }
  report.set_wall_s(static_cast<double>(NowNs() - tour_start_ns) * 1e-9);
  *report.mutable_ceiling() = SummarizeCeiling(context.cores, ceiling_probes);
  if (options.json) {
    std::cout << ToJson(report) << "\n";
  } else {
    std::cout << fmt::format("\nparlab tour: {} section{} in {}{}\n", report.sections_size(),
                             report.sections_size() == 1 ? "" : "s", FormatSeconds(report.wall_s()),
                             failed ? " — some sections failed (see their notes)" : "");
    std::cout << CeilingLine(report.ceiling()) << "\n";
  }
  std::cout << std::flush;
  if (!std::cout) return kExitFailed;
  return failed ? kExitFailed : kExitOk;
}

}  // namespace

Command AddTourCommand(CLI::App& app) {
  CLI::App* sub = app.add_subcommand(
      "tour",
      "The notebook's experiments, one section each, measured on this machine: the GIL, when\n"
      "it is released, BLAS back-ends and threads, benchmarking rules, timeit, profiling,\n"
      "memory, a summary of every mode and the decision guide checked against it — with the\n"
      "notebook's own Python beside parlab's figures when python3 with NumPy exists.");
  auto options = std::make_shared<TourOptions>();
  sub->add_flag("--quick", options->quick,
                "Shrink sizes and trials so the whole tour runs in under a minute");
  sub->add_option("--section", options->section,
                  "Run only these sections (comma-separated): " + TourSectionNames());
  AddFormatFlags(*sub, FormatFlags::Json(&options->json, "TourReport"));
  sub->add_flag("--list", options->list, "List the sections and exit");
  // The child's mode (tour_child.h); hidden from --help.
  sub->add_option("--child-probe", options->child_probe)->group("")->check(CLI::Range(0, 20'000));
  sub->add_option("--child-trials", options->child_trials)->group("")->check(CLI::Range(1, 1000));
  return {sub, [options]() { return RunTour(*options); }};
}

}  // namespace parlab
