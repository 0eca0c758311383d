#include "coordinator/cli.h"

#include <CLI/CLI.hpp>

namespace parlab {

int RunCli(int argc, char** argv) {
  CLI::App app{"parlab: a multi-process job runner and a laboratory for parallelism"};
  app.require_subcommand(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return 0;
}

}  // namespace parlab
