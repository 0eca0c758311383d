#pragma once
// `parlab report INPUT... -o report.html`: one self-contained HTML page
// (observe/report_page.h) of logs and of the --json of run, compare, sweep
// and analyse, their kinds found from their content (observe/report_input.h).

#include <CLI/CLI.hpp>

#include "coordinator/cli/command.h"

namespace parlab {

Command AddReportCommand(CLI::App& app);

}  // namespace parlab
