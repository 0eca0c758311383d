#include "coordinator/cli/profile_command.h"

#include <iostream>
#include <memory>

#include "coordinator/cli/format_flags.h"
#include "coordinator/cli/kernel_flags.h"
#include "coordinator/notebook/memory_probe.h"
#include "coordinator/notebook/notebook_messages.h"
#include "coordinator/notebook/profile_perf.h"
#include "coordinator/notebook/profile_stages.h"
#include "coordinator/report/json_output.h"
#include "coordinator/report/progress.h"

namespace parlab {
namespace {

struct ProfileFlags {
  explicit ProfileFlags(CLI::App& app) : kernel(app, "pca") {}
  KernelFlags kernel;
  ProfileOptions options;
  bool perf = false;
  bool json = false;
  bool csv = false;
};

}  // namespace

Command AddProfileCommand(CLI::App& app) {
  CLI::App* sub = app.add_subcommand(
      "profile",
      "Where a staged kernel's time goes (pca, conv): each stage's calls, total, per call and "
      "share, sorted as cProfile's table; --perf adds perf stat's hardware counters");
  auto flags = std::make_shared<ProfileFlags>(*sub);
  sub->add_option("--runs", flags->options.runs, "measured calls (after one warm-up call)")
      ->capture_default_str();
  sub->add_option("--threads,-t", flags->options.threads, "OpenMP/BLAS threads inside each call")
      ->capture_default_str();
  sub->add_flag("--perf", flags->perf,
                "also run the same profile in a child under `perf stat -e cycles,instructions,"
                "cache-references,cache-misses` (when perf is installed)");
  AddFormatFlags(*sub, FormatFlags::Json(&flags->json, "ProfileReport")
                           .Csv(&flags->csv,
                                "a row per stage and one for the time outside them (plain "
                                "numbers; with --perf, use --json)"));
  // perf's counters are no rows of the stage table: --json carries both.
  sub->get_option("--csv")->excludes("--perf");
  return {sub, [flags]() {
            Result<KernelParams> params = flags->kernel.MakeParams();
            if (!params.ok()) return ReportError(params.status());
            ProfileOptions options = flags->options;
            options.params = *params;
            // Per call, on a terminal only; erased before the table is printed
            // (and before --perf's child, which draws its own).
            std::unique_ptr<Progress> progress = Progress::OnStderr(0);
            options.progress = progress.get();
            Result<ProfileReport> report = ProfileStages(options);
            progress.reset();
            if (!report.ok()) return ReportError(report.status());
            if (flags->csv) {
              std::cout << ProfileCsv(*report);
              return kExitOk;
            }
            if (!flags->json) PrintProfile(*report, std::cout);
            if (!flags->perf) {
              if (flags->json) std::cout << ToJson(ProfileMessage(*report, std::nullopt)) << "\n";
              return kExitOk;
            }
            std::vector<std::string> args = {"profile"};
            for (std::string& arg : flags->kernel.Args()) args.push_back(std::move(arg));
            args.insert(args.end(), {"--runs", std::to_string(options.runs), "--threads",
                                     std::to_string(options.threads)});
            std::cout.flush();
            Result<PerfStat> stat = RunUnderPerf(ParlabPath(), args);
            if (!stat.ok()) return ReportError(stat.status());
            if (flags->json) {
              std::cout << ToJson(ProfileMessage(*report, *stat)) << "\n";
            } else {
              PrintPerfStat(*stat, std::cout);
            }
            return kExitOk;
          }};
}

}  // namespace parlab
