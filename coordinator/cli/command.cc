#include "coordinator/cli/command.h"

#include <iostream>

#include "coordinator/runtime/worker_pool.h"

namespace parlab {

int ReportError(const Status& status) {
  std::cerr << "parlab: " << status.message() << "\n";
  if (status.code() == StatusCode::kCancelled) {
    const int signal = LastInterruptSignal();
    return 128 + (signal > 0 ? signal : 2);  // the shell's convention: 130 for SIGINT
  }
  const bool usage = status.code() == StatusCode::kInvalidArgument ||
                     status.code() == StatusCode::kResourceExhausted ||
                     status.code() == StatusCode::kNotFound;
  return usage ? kExitUsage : kExitFailed;
}

int ExitCodeOf(const Status& status) { return status.ok() ? kExitOk : ReportError(status); }

}  // namespace parlab
