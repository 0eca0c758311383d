#pragma once
// What a job does when its workers fail: --max-attempts, --task-timeout,
// --heartbeat-timeout, and the fault it may inject on purpose
// (--inject-fault TASK:ACTION) to show the recovery. Parsing and validation
// only; the procs mode and the worker pool act on them.

#include <string>
#include <string_view>

#include "proto/parlab.pb.h"
#include "shared/status.h"

namespace parlab {

inline constexpr int kDefaultMaxAttempts = 3;
inline constexpr int64_t kDefaultHeartbeatTimeoutMs = 5000;
// Below this a busy 2-core machine misses beats and healthy workers die.
inline constexpr int64_t kMinHeartbeatTimeoutMs = 100;

// "abort", "kill", "segv", "exit", "hang", "stop".
const char* FaultActionName(pb::FaultAction action);

// "TASK:ACTION", e.g. "17:abort"; the error names what is wrong.
Result<pb::FaultInjection> ParseFault(std::string_view text);

// Ranges, and that a fault is injected only where a worker process can take it.
Status ValidateFailurePolicy(const pb::JobSpec& job);

}  // namespace parlab
