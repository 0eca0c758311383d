#include "coordinator/notebook/tour_child.h"

#include <fmt/format.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <omp.h>

#include <algorithm>
#include <iostream>

#include "coordinator/notebook/tour_measure.h"
#include "coordinator/notebook/tour_python.h"
#include "shared/platform/executable_path.h"
#include "shared/platform/subprocess.h"

// Declared here, as env_report.cc does: Debian's <cblas.h> may be another BLAS's.
extern "C" int openblas_get_num_threads(void);

namespace parlab {

const std::vector<std::string>& ProbedThreadVariables() {
  static const std::vector<std::string> kNames = {"OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                                  "GOTO_NUM_THREADS", "MKL_NUM_THREADS"};
  return kNames;
}

Result<ChildProbe> RunChildProbe(const std::map<std::string, std::string>& set, int n, int trials) {
  PARLAB_ASSIGN_OR_RETURN(std::string self, SelfExecutablePath());
  ChildSpec run;
  run.argv = {self,
              "tour",
              "--child-probe",
              std::to_string(n),
              "--child-trials",
              std::to_string(std::max(1, trials))};
  for (const std::string& name : ProbedThreadVariables()) run.env[name] = std::nullopt;
  for (const auto& [name, value] : set) run.env[name] = value;
  run.path = SelfExecutableLink();
  Result<std::string> out = RunSubprocess(run, /*timeout_s=*/600);
  if (!out.ok()) return Internal("tour child: " + out.status().message());
  google::protobuf::Struct answer;
  const std::string line = LastJsonLine(*out);
  if (line.empty() || !google::protobuf::util::JsonStringToMessage(line, &answer).ok()) {
    return Internal("tour child answered no JSON: " + out->substr(0, 200));
  }
  ChildProbe probe;
  probe.omp_max_threads = static_cast<int>(JsonNumber(answer, "omp_max_threads").value_or(0));
  probe.openblas_threads = static_cast<int>(JsonNumber(answer, "openblas_threads").value_or(0));
  probe.matmul_s = JsonNumbers(answer, "matmul_s");
  probe.matmul_flops = JsonNumber(answer, "matmul_flops").value_or(0);
  return probe;
}

Status ChildProbeMain(int n, int trials) {
  // Read before anything runs: the counts the environment gave at start-up.
  const int omp = omp_get_max_threads();
  const int openblas = openblas_get_num_threads();
  std::vector<double> seconds;
  double flops = 0;
  if (n > 0) {
    PARLAB_ASSIGN_OR_RETURN(KernelParams params, KernelWithN("matmul", n));
    PARLAB_ASSIGN_OR_RETURN(KernelCall call, KernelCall::Make(params));
    seconds = TimeTrials(1, trials, [&] { flops = call.Run(omp).flops; });
  }
  std::string times;
  for (double s : seconds) times += (times.empty() ? "" : ",") + fmt::format("{:.9g}", s);
  std::cout << fmt::format(R"({{"omp_max_threads":{},"openblas_threads":{},"matmul_s":[{}],)"
                           R"("matmul_flops":{:.17g}}})",
                           omp, openblas, times, flops)
            << "\n"
            << std::flush;
  return std::cout ? Status::Ok() : Internal("tour child: cannot write its probe to stdout");
}

}  // namespace parlab
