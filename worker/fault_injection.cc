#include "worker/fault_injection.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace parlab {

void InjectFault(pb::FaultAction action) {
  switch (action) {
    case pb::FAULT_NONE:
    case pb::FAULT_CORRUPT:  // done to the answer, not here: see CorruptFrame
      return;
    case pb::FAULT_ABORT:
      std::abort();
    case pb::FAULT_KILL:
      raise(SIGKILL);
      break;
    case pb::FAULT_SEGV:
      // raise() rather than a real wild write: the sanitizers would report a
      // real one as a bug of ours, and the coordinator sees the same SIGSEGV.
      raise(SIGSEGV);
      break;
    case pb::FAULT_EXIT:
      _exit(3);
    case pb::FAULT_STOP:
      raise(SIGSTOP);
      break;
    case pb::FAULT_HANG:
    default:
      break;
  }
  // FAULT_HANG, and anything a signal above did not end: hang, as a stuck
  // kernel would, while the heartbeat thread keeps saying we are alive.
  for (;;) pause();
}

bool AnswersWithGarbage(const pb::TaskFrame& frame) { return frame.fault() == pb::FAULT_CORRUPT; }

void CorruptFrame(std::byte* bytes, size_t size) {
  // 0xFF everywhere is a varint that never ends: no parser can read a field.
  std::fill(bytes, bytes + size, std::byte{0xff});
}

}  // namespace parlab
