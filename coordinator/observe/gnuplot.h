#pragma once
// Running gnuplot: find it, pipe a script into it, check it wrote the file.
// gnuplot is optional at run time (the sweep then prints a text chart); the
// set-up script installs it. Not thread-safe (ignores SIGPIPE while writing).

#include <optional>
#include <string>

#include "shared/status.h"

namespace parlab {

// The gnuplot to run: $PARLAB_GNUPLOT when set (a path; tests point it at a
// program that fails, or at nothing), else `gnuplot` found on $PATH.
// nullopt when there is none.
std::optional<std::string> FindGnuplot();

// Pipes `script` into `program` and checks that `output_path` then exists and
// is not empty. gnuplot's own messages go to stderr as it prints them; the
// error says how it ended and which file it did not write.
Status RunGnuplot(const std::string& program, const std::string& script,
                  const std::string& output_path);

}  // namespace parlab
