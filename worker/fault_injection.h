#pragma once
// Injected faults (`parlab run … --inject-fault TASK:ACTION`): the worker that
// runs the poisoned task does this to itself, so that the coordinator's
// recovery — requeue, replacement, attempts, task timeout, heartbeat timeout —
// can be shown and tested with real process deaths, not mocks.

#include "proto/parlab.pb.h"

namespace parlab {

// Does what `action` says; returns only for FAULT_NONE (every other action
// ends, stops or hangs the process).
void InjectFault(pb::FaultAction action);

}  // namespace parlab
