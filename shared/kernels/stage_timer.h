#pragma once
// Times consecutive stages of one kernel call (pca's "normalise", conv's
// "conv1 gemm") with NowNs(): each End() records the time since the previous
// End() (or construction) under a name. One call, one thread.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "shared/clock.h"
#include "shared/kernels/kernel.h"

namespace parlab {

class StageTimer {
 public:
  // `stages` must outlive the timer; records are appended to it.
  explicit StageTimer(std::vector<StageTime>* stages) : stages_(stages), start_ns_(NowNs()) {}

  void End(std::string name) {
    const int64_t now_ns = NowNs();
    stages_->push_back({std::move(name), now_ns - start_ns_});
    start_ns_ = now_ns;
  }

 private:
  std::vector<StageTime>* stages_;
  int64_t start_ns_;
};

}  // namespace parlab
