#include "coordinator/bench_command.h"

#include <memory>
#include <vector>

#include "coordinator/bench_gemm.h"
#include "coordinator/bench_ipc.h"
#include "coordinator/bench_log.h"

namespace parlab {

Command AddBenchCommand(CLI::App& app) {
  CLI::App* bench =
      app.add_subcommand("bench",
                         "Measure a piece of parlab against the machine and a reference library,\n"
                         "e.g. the matmul kernel against OpenBLAS and the CPU's FMA peak.");
  bench->require_subcommand(1);
  // A new bench is one more line here and a file pair bench_<what>.h/.cc.
  auto subcommands = std::make_shared<std::vector<Command>>(std::vector<Command>{
      AddBenchGemm(*bench),
      AddBenchIpc(*bench),
      AddBenchLog(*bench),
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
