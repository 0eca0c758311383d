#include "coordinator/command.h"

#include <iostream>

namespace parlab {

int ReportError(const Status& status) {
  std::cerr << "parlab: " << status.message() << "\n";
  const bool usage = status.code() == StatusCode::kInvalidArgument ||
                     status.code() == StatusCode::kResourceExhausted ||
                     status.code() == StatusCode::kNotFound;
  return usage ? kExitUsage : kExitFailed;
}

}  // namespace parlab
