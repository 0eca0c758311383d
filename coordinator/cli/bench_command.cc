#include "coordinator/cli/bench_command.h"

#include <memory>
#include <string>
#include <vector>

#include "coordinator/bench/bench_cmd.h"
#include "coordinator/bench/bench_gemm.h"
#include "coordinator/bench/bench_ipc.h"
#include "coordinator/bench/bench_log.h"
#include "coordinator/cli/format_flags.h"
#include "coordinator/cli/mpi_run.h"

namespace parlab {
namespace {

Command AddGemm(CLI::App& bench) {
  CLI::App* gemm = bench.add_subcommand(
      "gemm",
      "The matmul kernel's GFLOPS next to OpenBLAS's cblas_dgemm on the same matrices —\n"
      "OpenBLAS as it configured itself, and with OPENBLAS_CORETYPE set to the best\n"
      "kernels this CPU supports (a child process) — with the ratio, the share of the\n"
      "CPU's measured FMA peak, and a check that all results agree.");
  auto options = std::make_shared<GemmOptions>();
  CLI::Option* sizes =
      gemm->add_option("--sizes", options->sizes, "Matrix sizes n (n×n), comma-separated")
          ->delimiter(',')
          ->check(CLI::Range(1, 20'000))
          ->capture_default_str();
  gemm->add_option("--threads", options->threads, "Thread counts, comma-separated")
      ->delimiter(',')
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  CLI::Option* trials = gemm->add_option("--trials", options->trials,
                                         "Timed runs per cell after 1 warmup; the best is reported")
                            ->check(CLI::Range(1, 1000))
                            ->capture_default_str();
  auto quick = std::make_shared<bool>(false);
  gemm->add_flag("--quick", *quick,
                 "Sizes 500 and 1000 (the smallest the 0.9 target is read at), 2 trials: "
                 "seconds, not a minute; --sizes and --trials still win");
  AddFormatFlags(*gemm, FormatFlags::Json(&options->json, "BenchGemmReport")
                            .Markdown(&options->markdown)
                            .Csv(&options->csv, "a row per size and thread count (plain numbers)"));
  // The child's mode (see bench_gemm.h); hidden from --help.
  gemm->add_flag("--openblas-only", options->openblas_only)->group("");

  Command command;
  command.app = gemm;
  command.run = [options, quick, sizes, trials] {
    if (*quick && sizes->count() == 0) options->sizes = {500, 1000};
    if (*quick && trials->count() == 0) options->trials = 2;
    return ExitCodeOf(RunBenchGemm(*options));
  };
  return command;
}

Command AddIpc(CLI::App& bench) {
  CLI::App* ipc = bench.add_subcommand(
      "ipc",
      "What a trip between the coordinator and a worker costs: raw round trips between two\n"
      "processes (pipe, socketpair, eventfd, futex, spin), parlab's noop round trip over shm\n"
      "(spin, block, adaptive) and uds with its phase split, payloads of 64 B to 8 MB over shm\n"
      "(zero copy) and uds (copied), with what the size adds to shm's spin round trip beside a\n"
      "raw spin whose peer streams the same bytes, and noop throughput with 1, 2 and all usable\n"
      "cores' workers, next to Python's Pool.map. About 30-60 s on 2 cores.\n"
      "Under `mpirun -n 2` (rank 1 answers) also Open MPI's own ping-pong and parlab's mpi\n"
      "transport, in the same run.");
  auto options = std::make_shared<IpcOptions>();
  ipc->add_flag("--quick", options->quick, "Smaller budgets: about 10 s in all");
  AddFormatFlags(
      *ipc,
      FormatFlags::Json(&options->json, "BenchIpcReport")
          .Markdown(&options->markdown, "the tables")
          .Csv(&options->csv, "the tables as one, table,row,name,field,value (a row per figure)"));
  Command command;
  command.app = ipc;
  command.run = [options] {
    // Under mpirun rank 1 is the worker of the MPI rows. It spins for the
    // Open MPI ping-pong, MPI's own polling; each job's constants then say
    // how it waits for that job's frames.
    if (std::optional<int> code = BecomeMpiWorkerOnRanksAboveZero(pb::SPIN)) return *code;
    return ExitCodeOf(RunBenchIpc(*options));
  };
  return command;
}

Command AddLog(CLI::App& bench) {
  CLI::App* sub = bench.add_subcommand(
      "log",
      "What the --log costs: spin tasks with logging off and on, trials alternating in one\n"
      "run; prints both walls, their ratio and the target (<= 1.02).");
  auto o = std::make_shared<LogBenchOptions>();
  sub->add_option("--modes", o->modes, "procs, threads or both (comma-separated)")
      ->capture_default_str();
  sub->add_option("--workers,-w", o->workers, "workers")->capture_default_str();
  sub->add_option("--us", o->us, "spin time per task, µs")->capture_default_str();
  sub->add_option("--tasks", o->tasks, "tasks per trial")->capture_default_str();
  sub->add_option("--trials", o->trials, "measured trials of each side")->capture_default_str();
  sub->add_option("--warmup", o->warmup, "warmup trials of each side")->capture_default_str();
  sub->add_option("--log", o->log_path,
                  "where the logging side writes (default: a temporary file, removed after)");
  AddFormatFlags(*sub, FormatFlags::Json(&o->json, "LogCostReport")
                           .Markdown(&o->markdown)
                           .Csv(&o->csv, "a row per mode (plain numbers)"));
  Command command;
  command.app = sub;
  command.run = [o] { return ExitCodeOf(RunBenchLog(*o)); };
  return command;
}

Command AddCmd(CLI::App& bench) {
  CLI::App* sub = bench.add_subcommand(
      "cmd",
      "What a process per input costs: `true` over the same inputs through xargs -P,\n"
      "parlab run --cmd (log on) and GNU parallel, rounds alternating; prints the walls\n"
      "and the ratios beside the targets (parlab <= 1.1 x xargs, parallel >= 4 x parlab).");
  auto o = std::make_shared<CmdBenchOptions>();
  sub->add_option("--inputs", o->inputs, "inputs (tasks) per tool")->capture_default_str();
  sub->add_option("--workers,-w", o->workers, "processes at once")->capture_default_str();
  sub->add_option("--rounds", o->rounds, "timed runs of each tool; the median is reported")
      ->capture_default_str();
  AddFormatFlags(*sub, FormatFlags::Json(&o->json, "BenchCmdReport")
                           .Markdown(&o->markdown)
                           .Csv(&o->csv, "a row per tool (plain numbers)"));
  Command command;
  command.app = sub;
  command.run = [o] { return ExitCodeOf(RunBenchCmd(*o)); };
  return command;
}

}  // namespace

Command AddBenchCommand(CLI::App& app) {
  CLI::App* bench =
      app.add_subcommand("bench",
                         "Measure a piece of parlab against the machine and a reference library,\n"
                         "e.g. the matmul kernel against OpenBLAS and the CPU's FMA peak.");
  bench->require_subcommand(1);
  // A new bench is one more line here, its flags above, and a file pair
  // coordinator/bench/bench_<what>.h/.cc that measures and prints.
  auto subcommands = std::make_shared<std::vector<Command>>(std::vector<Command>{
      AddGemm(*bench),
      AddIpc(*bench),
      AddLog(*bench),
      AddCmd(*bench),
  });
  Command command;
  command.app = bench;
  command.run = [subcommands] {
    for (Command& subcommand : *subcommands) {
      if (subcommand.app->parsed()) return subcommand.run();
    }
    return kExitUsage;  // unreachable: require_subcommand(1) stops the parse first
  };
  return command;
}

}  // namespace parlab
