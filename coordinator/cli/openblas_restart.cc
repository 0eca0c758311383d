#include "coordinator/cli/openblas_restart.h"

#include <cstdlib>
#include <iostream>
#include <string>

#include "coordinator/report/openblas_core.h"
#include "shared/platform/executable_path.h"

namespace parlab {

void RestartOnBestOpenBlasCore(char** argv) {
  const std::string core = OpenBlasCoreToRequest();
  if (core.empty()) return;
  // Both before the exec; OPENBLAS_CORETYPE set is also what keeps the second
  // run from doing this again.
  setenv(kOpenBlasOwnCoreVariable, OpenBlasCoreName().c_str(), 1);
  setenv("OPENBLAS_CORETYPE", core.c_str(), 1);
  const Status status = ExecSelf(argv);
  unsetenv("OPENBLAS_CORETYPE");
  unsetenv(kOpenBlasOwnCoreVariable);
  std::cerr << "parlab: note: could not restart with OPENBLAS_CORETYPE=" << core << " ("
            << status.message() << "); running on OpenBLAS's own kernels\n";
}

}  // namespace parlab
