#pragma once
// The job: names of modes, the defaults a user gets without flags, and the
// validation every job passes before anything starts (no thread, no worker,
// nothing in /dev/shm until the whole job is known to be sane).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "proto/parlab.pb.h"
#include "shared/kernels/kernel.h"
#include "shared/kernels/omp_threads.h"  // kMaxKernelThreads
#include "shared/shm/layout.h"           // kMaxWorkers: one request and one response ring each
#include "shared/status.h"

namespace parlab {

constexpr int kMaxThreads = kMaxKernelThreads;  // what a kernel call obeys at most
constexpr int64_t kMaxTasks = 100'000'000;
// Tasks per frame, asked for or chosen by --chunk auto: past this a frame
// (~128 B a task) only makes the rings bigger, its cost already amortised.
constexpr int kMaxChunk = 65536;

std::string_view ModeName(pb::Mode mode);
Result<pb::Mode> ParseMode(std::string_view name);
// "seq,threads,gil,blas" -> modes; the error names the bad entry.
Result<std::vector<pb::Mode>> ParseModeList(std::string_view list);
// Every mode this build can run, in the order compare shows them.
std::vector<pb::Mode> AllModes();

// 2 workers, 1 thread, warmup 1, trials 5, 2 in flight, 5 ms switch interval;
// tasks 0 means "size a trial to about 0.1 s" (the runner calibrates).
pb::JobSpec DefaultJob();

// Loads the job's kernel plugin into this process, if it names one, so that
// its kernels are known here (a no-op when it is loaded already); the
// workers load it themselves. Errors name the plugin: a relative path, a
// file that is no plugin of this ABI version (shared/kernels/plugin_loader.h).
Status LoadJobPlugin(const pb::JobSpec& job);

// Checks every field; the error names the field and the allowed range:
// "workers must be 1..1024, got 0". Also refuses jobs whose buffers would not
// fit in the available memory, saying how much they need. Loads the job's
// plugin first (LoadJobPlugin): its kernel is one of the job's fields.
Status ValidateJob(const pb::JobSpec& job);

// The parameters task `index` of a trial runs (0-based): its entry of the
// job's task list, or the job's kernel when there is none. Task ids run on
// across trials, so a task's index is its id % tasks.
const KernelParams& TaskKernel(const pb::JobSpec& job, uint64_t index);

// Processes × threads per process a job occupies (for oversubscription warnings
// and parallel efficiency).
int ParallelUnits(const pb::JobSpec& job);

// --dispatchers auto, as JobSpec.dispatchers holds it.
constexpr int32_t kAutoDispatchers = -1;
// The threads that dispatch a procs/hybrid job's tasks (procs_shards.cc):
// dispatchers() as given (0: 1, the coordinator's own thread); auto, one per
// core the workers leave free, at least 1 and at most one per worker.
int DispatchersFor(const pb::JobSpec& job);

}  // namespace parlab
