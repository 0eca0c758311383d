// parlab-worker: started by the coordinator (fork+exec), never by hand.
#include <iostream>

#include "worker/worker.h"

int main(int argc, char** argv) {
  parlab::Result<parlab::WorkerOptions> options = parlab::ParseWorkerOptions(argc, argv);
  if (!options.ok()) {
    std::cerr << "parlab-worker: " << options.status().message() << "\n";
    return 2;
  }
  const parlab::Status status = parlab::RunWorker(*options);
  if (!status.ok()) {
    std::cerr << "parlab-worker " << options->index << ": " << status.message() << "\n";
    return 1;
  }
  return 0;
}
