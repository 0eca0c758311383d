#include "worker/fault_injection.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>

namespace parlab {

void InjectFault(pb::FaultAction action) {
  switch (action) {
    case pb::FAULT_NONE:
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

}  // namespace parlab
