#pragma once
// The one place that names a ring's WaitPolicy (ring.h): the words of --wait
// spin|block|adaptive (the CLI, the worker's argv, reports) and the JobSpec's
// pb::WaitPolicy. Every parser and printer of the policy goes through here,
// so a fourth policy is added once. Pure functions; thread-safe.

#include <string_view>

#include "proto/parlab.pb.h"
#include "shared/shm/ring.h"
#include "shared/status.h"

namespace parlab {

// "spin" | "block" | "adaptive".
const char* WaitPolicyName(WaitPolicy policy);
// The inverse of WaitPolicyName; kInvalidArgument naming the word otherwise.
Result<WaitPolicy> ParseWaitPolicy(std::string_view name);

// The JobSpec's enum and ours. An unset or unknown pb value is kAdaptive, the
// job's default.
WaitPolicy FromProto(pb::WaitPolicy wait);
pb::WaitPolicy ToProto(WaitPolicy wait);

}  // namespace parlab
