#pragma once
// The raw references of `parlab bench ipc`: the round trip between two
// processes through the kernel's primitives alone, with no parlab code in the
// way, so that parlab's own round trip can be read against what the machine
// can do at best with each kind of wait:
//
//   pipe        1 byte each way over two pipes (read/write: sleep + wake-up)
//   socketpair  1 byte each way over one Unix stream socket pair
//   eventfd     one 8-byte counter each way over two eventfds
//   futex       a word each way in shared memory, FUTEX_WAKE/FUTEX_WAIT
//   spin        a word each way in shared memory, busy-waiting (CpuRelax)
//
// and, for bench ipc's payload rows, the spin round trip again with the peer
// streaming N bytes of memory between the ping and the pong (a kernel
// summing its N-byte input), less that streaming: what the caches and TLB
// entries the stream evicted cost a round trip that carries no payload at
// all, the floor under what a payload's size may add to parlab's.
//
// The peer is a forked child (ChildProcess::Fork, no exec) that runs only
// async-signal-safe code
// (read, write, futex, atomics, _exit): that is safe even though this process
// may already run threads (OpenBLAS starts its pool when it loads). When two
// or more CPUs are usable, this thread and the child are pinned to two
// different ones for the measurement and this thread's mask is restored after.
// Call from one thread, before any Asio signal_set exists (it briefly installs
// its own SIGCHLD handler, restored after).

#include <cstdint>
#include <string>
#include <vector>

#include "shared/status.h"

namespace parlab {

struct IpcReferenceOptions {
  int max_round_trips = 20'000;  // measured, per primitive, after the warmup
  int warmup_round_trips = 1'000;
  double max_seconds = 1.5;              // per primitive: a loaded machine stops early
  std::vector<uint64_t> streamed_bytes;  // a streamed spin reference for each
};

struct IpcReference {
  std::string name;                   // "pipe", "socketpair", "eventfd", "futex", "spin"
  std::string what;                   // "1 byte each way over two pipes"
  std::vector<double> round_trip_ns;  // one per measured round trip
};

// The spin round trip after the peer streamed `bytes`, less the streaming.
struct StreamedSpinReference {
  uint64_t bytes = 0;
  std::vector<double> round_trip_ns;  // one per measured round trip
};

struct IpcReferences {
  std::vector<int> cpus;  // {ours, the peer's} when pinned; empty when not
  int threads = 0;        // threads this process ran when it forked the peers
  std::vector<IpcReference> references;
  std::vector<StreamedSpinReference> streamed;  // one per options.streamed_bytes, in order
};

Result<IpcReferences> MeasureIpcReferences(const IpcReferenceOptions& options);

// Threads of this process (from /proc/self/status); 0 if unknown.
int ProcessThreads();

}  // namespace parlab
