#include "coordinator/cli/report_command.h"

#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "coordinator/observe/report_input.h"
#include "coordinator/observe/report_page.h"
#include "coordinator/report/env_report.h"

namespace parlab {
namespace {

struct ReportOptions {
  explicit ReportOptions(CLI::App& app) {
    app.add_option("inputs", paths,
                   "logs (`run --log`) and the --json of run, compare, sweep or analyse, in any "
                   "mix; several logs are shown side by side")
        ->required();
    app.add_option("-o,--output", output, "the HTML file to write")->capture_default_str();
    app.add_option("--timeline-tasks", timeline_tasks,
                   "tasks drawn in each log's per-worker timeline, the first ones")
        ->capture_default_str();
  }
  std::vector<std::string> paths;
  std::string output = "report.html";
  int timeline_tasks = 200;
};

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  return std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M UTC", &utc) > 0 ? text : "";
}

int RunReport(const ReportOptions& o) {
  if (o.timeline_tasks < 0 || o.timeline_tasks > 100'000) {
    return ReportError(InvalidArgument("--timeline-tasks must be 0..100000, got " +
                                       std::to_string(o.timeline_tasks)));
  }
  std::vector<ReportInput> inputs;
  for (const std::string& path : o.paths) {
    Result<ReportInput> input = ReadReportInput(path);
    if (!input.ok()) return ReportError(input.status());
    for (const LogLineProblem& problem : input->log.problems) {
      std::cerr << "parlab: warning: " << path << ":" << problem.line << ": " << problem.message
                << "\n";
    }
    inputs.push_back(std::move(input).value());
  }
  const pb::EnvReport env = CollectEnvReport();
  const ReportMachine machine{env.cpu().model(), env.blas().gemm_backend(),
                              env.blas().openblas_corename(), env.blas().openblas_core_choice()};
  ReportPageOptions page_options;
  page_options.timeline_tasks = static_cast<size_t>(o.timeline_tasks);
  page_options.generated = UtcNow();
  const std::string page = RenderReportPage(inputs, machine, page_options);

  std::ofstream out(o.output, std::ios::binary | std::ios::trunc);
  if (!out) return ReportError(InvalidArgument("--output " + o.output + ": cannot write it"));
  out << page;
  out.close();
  if (!out) return ReportError(Internal("--output " + o.output + ": writing it failed"));
  std::cout << "report written to " << o.output << " (" << inputs.size() << " input"
            << (inputs.size() == 1 ? "" : "s") << ", " << CountReportCharts(page) << " charts)\n";
  return kExitOk;
}

}  // namespace

Command AddReportCommand(CLI::App& app) {
  CLI::App* sub = app.add_subcommand(
      "report",
      "Results as pictures: one self-contained HTML file (inline SVG, nothing loaded from\n"
      "elsewhere) of logs and of the --json of run, compare, sweep or analyse: summary\n"
      "tables, speedup with the ideal line and the Amdahl fit, overhead by phase, the\n"
      "overhead histogram and per-worker timelines of the first tasks.");
  auto options = std::make_shared<ReportOptions>(*sub);
  return {sub, [options]() { return RunReport(*options); }};
}

}  // namespace parlab
