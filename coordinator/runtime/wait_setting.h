#pragma once
// The WaitSetting (shared/shm/adaptive_wait.h) of a job on this machine: how
// many sides may wait at once (the job's parallel units and the
// coordinator), the usable cores, and what a wake-up costs here (measured
// once per process, only for --wait adaptive, the one policy that uses it).
// Thread-safe.

#include "proto/parlab.pb.h"
#include "shared/shm/adaptive_wait.h"

namespace parlab {

WaitSetting WaitSettingFor(const pb::JobSpec& job);

}  // namespace parlab
