// Fuzzes the job-file parser: ParseJobFile (Protobuf's text-format parser
// with its error collector and locations, the task list, the grid, the
// kernels' Validate, ValidateJob and the resource check) on any text, as
// `parlab run --job` reads a file. Whatever the text, the result is a valid
// job or an error that says where (a command job's too, through the
// command library's checks): no crash, no exception, no hang. A job
// that parses must validate again, and a grid's jobs must plan.

#include <cstddef>
#include <cstdint>
#include <string>

#include "coordinator/command/command_job.h"
#include "coordinator/runtime/job_file.h"
#include "coordinator/runtime/job_grid.h"
#include "coordinator/runtime/job_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 8192) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  parlab::JobFileChecks checks;  // load_plugin off: a fuzzed path is not dlopen'd
  checks.check_command = parlab::ValidateCommandJob;
  parlab::Result<parlab::JobFileSpec> spec = parlab::ParseJobFile(text, "fuzz.textproto", checks);
  if (!spec.ok()) {
    // An error must say where: the file's name first.
    if (spec.status().message().rfind("fuzz.textproto", 0) != 0) __builtin_trap();
    return 0;
  }
  parlab::pb::JobSpec check = spec->job;
  if (check.tasks() == 0) check.set_tasks(1);  // calibrated later, as ParseJobFile documents
  // A plugin a fuzzed file names is never loaded (ValidateJob would dlopen it).
  check.clear_plugin();
  if (!parlab::ValidateJob(check).ok()) __builtin_trap();
  if (!spec->grid.empty() && !parlab::PlanJobGrid(check, spec->grid, 4, false).ok()) {
    __builtin_trap();
  }
  return 0;
}
