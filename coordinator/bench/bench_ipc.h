#pragma once
// `parlab bench ipc`: what one trip between the coordinator and a worker
// costs, next to what the machine's raw primitives cost, in one run:
//  - raw round trips between two pinned processes (ipc_references.h): pipe,
//    socketpair, eventfd, futex, spin;
//  - parlab's round trip of a noop task (1 worker, inflight 1, chunk 1) over
//    shm with --wait spin, shm with --wait block, and uds, with the phase split;
//  - payload: a task that sums a 64 B, 64 KB, 800 KB and 8 MB matrix, shm
//    (zero copy: offsets travel) against uds (the bytes go through the socket);
//  - throughput: noop tasks per second at 1, 2 and all usable cores,
//    inflight 2, unbatched (chunk 1: shm adaptive, shm spin, uds) and chunked
//    (chunk auto, chunk 1000), beside the raw spin round trip as a rate and
//    Python's multiprocessing Pool.map (chunksize 1 and its default), measured
//    in the same run when python3 exists; each row's ratio to its peer.
// Each job is sized from a short probe so the whole bench stays near 60 s
// (--quick: ~10 s) even on a loaded machine. A measurement, not a test.

#include "shared/status.h"

namespace parlab {

struct IpcOptions {
  bool quick = false;
  bool json = false;
  bool markdown = false;  // the tables as Markdown
  bool csv = false;       // the rows as one long CSV (bench_ipc_report.h IpcReportCsv)
};

// Measures and prints the tables (or JSON); an error when a job failed.
Status RunBenchIpc(const IpcOptions& options);

}  // namespace parlab
