// Fuzzes every parser of the user's job flags: ParseJobArgs (CLI11 through
// JobFlags, MakeJob, the kernels' Validate, ValidateJob and the resource
// check) on an argv made from the input, one argument per line, as
// `parlab run` would receive it. Whatever the arguments, the result is a
// valid job or an error naming the flag: no crash, no exception, no hang.
// A job that parses must validate again (MakeJob may not hand out a job its
// own validation refuses).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "coordinator/cli/job_flags.h"
#include "coordinator/runtime/job_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  // The first byte picks run's flags (with --mode) or compare's.
  const bool with_mode = size == 0 || (data[0] & 1) == 0;
  std::vector<std::string> args;
  size_t start = size == 0 ? 0 : 1;
  while (start <= text.size() && args.size() < 64) {
    const size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      if (start < text.size()) args.push_back(text.substr(start));
      break;
    }
    args.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  parlab::Result<parlab::pb::JobSpec> job = parlab::ParseJobArgs(args, with_mode);
  if (job.ok()) {
    parlab::pb::JobSpec check = *job;
    if (check.tasks() == 0) check.set_tasks(1);  // calibrated later, as MakeJob documents
    if (!parlab::ValidateJob(check).ok()) __builtin_trap();
  } else if (job.status().message().empty()) {
    __builtin_trap();  // an error must say what was wrong
  }
  return 0;
}
