#include "coordinator/bench/bench_gemm_child.h"

#include "shared/platform/executable_path.h"
#include "shared/platform/subprocess.h"

namespace parlab {
namespace {

// Generous: the child times every cell of the grid, and n = 2000 on one
// thread alone takes seconds a trial.
constexpr double kChildTimeoutS = 1800;

std::string JoinInts(const std::vector<int>& values) {
  std::string out;
  for (int value : values) out += (out.empty() ? "" : ",") + std::to_string(value);
  return out;
}

}  // namespace

Result<OpenBlasRun> MeasureOpenBlasInChild(const std::vector<int>& sizes,
                                           const std::vector<int>& threads, int trials,
                                           const std::string& coretype) {
  PARLAB_ASSIGN_OR_RETURN(std::string exe, SelfExecutablePath());
  ChildSpec run;
  run.argv = {
      exe,         "bench",           "gemm",     "--openblas-only",     "--sizes", JoinInts(sizes),
      "--threads", JoinInts(threads), "--trials", std::to_string(trials)};
  run.env["OPENBLAS_CORETYPE"] = coretype;
  run.path = SelfExecutableLink();  // this very binary, even if a rebuild replaced its path
  Result<std::string> out = RunSubprocess(run, kChildTimeoutS);
  const std::string who = "the OPENBLAS_CORETYPE=" + coretype + " child";
  if (!out.ok()) return Status(out.status().code(), who + ": " + out.status().message());
  // Its warnings (stderr) come first in the same output; the answer is the last JSON line.
  Result<OpenBlasRun> measured = ParseOpenBlasRunJson(LastJsonLine(*out));
  if (!measured.ok()) return Internal(who + "'s answer: " + measured.status().message());
  return measured;
}

}  // namespace parlab
