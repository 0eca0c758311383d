#pragma once
// `parlab tour [--quick] [--section NAME] [--json]`: the notebook's
// experiments, one section each (coordinator/notebook/tour_section.h), measured on this
// machine, with the notebook's own Python beside them where python3 with
// NumPy exists. States the expected duration first and prints each section as
// it finishes (--json: one TourReport at the end, progress on stderr).
// Exit codes: 0 every section ran, 1 a section failed (the others still run),
// 2 bad flags.

#include "coordinator/cli/command.h"

namespace parlab {

Command AddTourCommand(CLI::App& app);

}  // namespace parlab
