#include "coordinator/bench/bench_cmd.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "coordinator/report/json_output.h"
#include "coordinator/report/progress.h"
#include "coordinator/report/table.h"
#include "proto/report.pb.h"
#include "shared/clock.h"
#include "shared/platform/child_process.h"
#include "shared/platform/executable_path.h"

namespace parlab {
namespace {

namespace fs = std::filesystem;

struct Tool {
  std::string name;
  ChildSpec spec;
  bool installed = true;
  std::string missing;  // how to install it
  std::vector<double> walls_s;
  double median() const {
    std::vector<double> sorted = walls_s;
    std::sort(sorted.begin(), sorted.end());
    return sorted.empty() ? 0 : sorted[sorted.size() / 2];
  }
};

Result<double> TimeOnce(const Tool& tool) {
  const int64_t start_ns = NowNs();
  PARLAB_ASSIGN_OR_RETURN(ChildProcess child, ChildProcess::Start(tool.spec));
  const ExitStatus status = child.Wait();
  const double wall_s = static_cast<double>(NowNs() - start_ns) * 1e-9;
  if (!status.success()) return Internal(tool.name + " " + status.ToString());
  return wall_s;
}

// A temporary directory removed on every way out.
struct ScratchDir {
  fs::path path;
  ~ScratchDir() {
    std::error_code ignored;
    if (!path.empty()) fs::remove_all(path, ignored);
  }
};

// One row per tool: its wall, per task and against xargs; a tool not
// installed has empty cells (plain: numbers in seconds and µs, for --csv).
Table CmdTable(const pb::BenchCmdReport& report, bool plain) {
  Table table;
  table.columns = plain ? std::vector<std::string>{"tool", "installed", "wall_median_s",
                                                   "per_task_us", "vs_xargs"}
                        : std::vector<std::string>{"tool", "wall", "per task", "vs xargs"};
  table.right_aligned = {false, true, true, true, true};
  for (const pb::BenchCmdReport::Row& row : report.rows()) {
    const double wall = row.wall_median_s();
    const double per_task_us = wall / static_cast<double>(report.inputs()) * 1e6;
    if (plain) {
      auto g = [&row](double v) { return row.installed() ? fmt::format("{:.9g}", v) : ""; };
      table.rows.push_back({row.tool(), row.installed() ? "true" : "false", g(wall), g(per_task_us),
                            g(row.vs_xargs())});
    } else if (!row.installed()) {
      table.rows.push_back({row.tool(), row.missing(), "", ""});
    } else {
      table.rows.push_back({row.tool(), fmt::format("{:.3f} s", wall),
                            fmt::format("{:.0f} µs", per_task_us),
                            fmt::format("{:.2f}×", row.vs_xargs())});
    }
  }
  return table;
}

}  // namespace

Status RunBenchCmd(const CmdBenchOptions& o) {
  if (o.inputs < 1 || o.inputs > 1'000'000) {
    return InvalidArgument("--inputs must be 1..1000000, got " + std::to_string(o.inputs));
  }
  if (o.workers < 1 || o.workers > 256) {
    return InvalidArgument("--workers must be 1..256, got " + std::to_string(o.workers));
  }
  if (o.rounds < 1 || o.rounds > 100) {
    return InvalidArgument("--rounds must be 1..100, got " + std::to_string(o.rounds));
  }
  ScratchDir dir;
  std::error_code error;
  dir.path = fs::temp_directory_path(error) / fmt::format("parlab-bench-cmd-{}", NowNs());
  fs::create_directories(dir.path, error);
  if (error) return Unavailable("cannot make " + dir.path.string() + ": " + error.message());
  const std::string inputs = (dir.path / "inputs.txt").string();
  {
    std::ofstream file(inputs);
    for (int64_t i = 1; i <= o.inputs; ++i) file << "input-" << i << "\n";
    if (!file) return Unavailable("cannot write " + inputs);
  }
  const std::string workers = std::to_string(o.workers);
  std::vector<Tool> tools(3);
  tools[0].name = "xargs -P " + workers + " -n 1 true";
  tools[0].spec.argv = {"xargs", "-a", inputs, "-P", workers, "-n", "1", "true"};
  tools[1].name = "parlab run --cmd true --workers " + workers + " --log";
  tools[1].spec.argv = {"parlab", "run",       "--cmd", "true",  "--inputs",
                        inputs,   "--workers", workers, "--log", (dir.path / "run.jsonl").string()};
  tools[1].spec.path = SelfExecutableLink();
  tools[2].name = "parallel -j " + workers + " true";
  tools[2].spec.argv = {"parallel", "--will-cite", "-j", workers, "true", "::::", inputs};
  if (!FindOnPath("xargs")) return NotFound("xargs is not installed: apt-get install findutils");
  if (!FindOnPath("parallel")) {
    tools[2].installed = false;
    tools[2].missing = "GNU parallel is not installed: apt-get install parallel";
  }
  for (Tool& tool : tools) {
    tool.spec.stdout_to = ChildOutput::kDiscard;
    tool.spec.stderr_to = ChildOutput::kDiscard;
  }
  // The progress line counts a tool's inputs when its run ends, drawn
  // between runs: the tasks run inside the tools (xargs, parallel, a parlab
  // child), which tell nothing as each ends, and anything this process did
  // during a run (polling a log, reading a pipe) would share the cores with
  // the run it times. On a terminal only.
  const auto installed =
      std::count_if(tools.begin(), tools.end(), [](const Tool& tool) { return tool.installed; });
  std::unique_ptr<Progress> line =
      Progress::OnStderr((1 + int64_t{o.rounds}) * static_cast<int64_t>(installed) * o.inputs);
  // One untimed round first: page cache, the dynamic loader's, parallel's Perl.
  for (int round = -1; round < o.rounds; ++round) {
    for (Tool& tool : tools) {
      if (!tool.installed) continue;
      line->SetStage(
          round < 0 ? "bench cmd, warm-up: " + tool.name
                    : fmt::format("bench cmd, round {}/{}: {}", round + 1, o.rounds, tool.name));
      PARLAB_ASSIGN_OR_RETURN(double wall_s, TimeOnce(tool));
      line->AddDone(o.inputs);
      if (round >= 0) tool.walls_s.push_back(wall_s);
    }
  }
  line.reset();  // erased before the table
  const double xargs_s = tools[0].median();
  const double parlab_s = tools[1].median();
  pb::BenchCmdReport report;
  report.set_inputs(o.inputs);
  report.set_workers(o.workers);
  report.set_rounds(o.rounds);
  for (const Tool& tool : tools) {
    pb::BenchCmdReport::Row& row = *report.add_rows();
    row.set_tool(tool.name);
    row.set_installed(tool.installed);
    row.set_missing(tool.missing);
    row.set_wall_median_s(tool.median());
    for (double wall : tool.walls_s) row.add_walls_s(wall);
    if (tool.installed) row.set_vs_xargs(tool.median() / xargs_s);
  }
  report.set_parlab_vs_xargs(parlab_s / xargs_s);
  report.set_parlab_vs_xargs_target(kCmdVsXargsTarget);
  if (tools[2].installed) report.set_parallel_vs_parlab(tools[2].median() / parlab_s);
  report.set_parallel_vs_parlab_target(kParallelVsCmdTarget);
  if (o.json) {
    std::cout << ToJson(report) << "\n";
    return Status::Ok();
  }
  if (o.markdown || o.csv) {
    std::cout << (o.markdown ? MarkdownTable(CmdTable(report, /*plain=*/false))
                             : CsvTable(CmdTable(report, /*plain=*/true)));
    return Status::Ok();
  }
  std::cout << fmt::format("`true` over {} inputs on {} workers, median of {} rounds:\n", o.inputs,
                           o.workers, o.rounds);
  std::cout << fmt::format("  {:<50}{:>10}{:>12}{:>14}\n", "tool", "wall", "per task", "vs xargs");
  for (const Tool& tool : tools) {
    if (!tool.installed) {
      std::cout << fmt::format("  {:<50}{}\n", tool.name, tool.missing);
      continue;
    }
    const double wall = tool.median();
    std::cout << fmt::format("  {:<50}{:>8.3f} s{:>9.0f} µs{:>13.2f}×\n", tool.name, wall,
                             wall / static_cast<double>(o.inputs) * 1e6, wall / xargs_s);
  }
  std::cout << fmt::format("  parlab / xargs = {:.2f} (target ≤ {:.1f}): {}\n", parlab_s / xargs_s,
                           kCmdVsXargsTarget,
                           parlab_s / xargs_s <= kCmdVsXargsTarget ? "met" : "not met");
  if (tools[2].installed) {
    const double ratio = tools[2].median() / parlab_s;
    std::cout << fmt::format("  parallel / parlab = {:.2f} (target ≥ {:.1f}): {}\n", ratio,
                             kParallelVsCmdTarget,
                             ratio >= kParallelVsCmdTarget ? "met" : "not met");
  }
  return Status::Ok();
}

}  // namespace parlab
