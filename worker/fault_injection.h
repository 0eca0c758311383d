#pragma once
// Injected faults (`parlab run … --inject-fault TASK:ACTION`): the worker that
// runs the poisoned task does this to itself, so that the coordinator's
// recovery — requeue, replacement, attempts, task timeout, heartbeat timeout,
// a corrupt answer — can be shown and tested with real process deaths and
// real garbage, not mocks.

#include <cstddef>

#include "proto/parlab.pb.h"

namespace parlab {

// Does what `action` says while the task runs; returns only for FAULT_NONE
// and FAULT_CORRUPT (every other action ends, stops or hangs the process).
void InjectFault(pb::FaultAction action);

// True when a task of `frame` is poisoned with FAULT_CORRUPT: its worker must
// answer the frame with garbage (CorruptFrame) instead of its results.
bool AnswersWithGarbage(const pb::TaskFrame& frame);

// Overwrites an encoded frame in place with bytes that can never parse as
// one (an unterminated varint), keeping its length, as a wild write would.
// Precondition: size > 0 (an empty frame would parse).
void CorruptFrame(std::byte* bytes, size_t size);

}  // namespace parlab
