#pragma once
// The measured half of `parlab memory`'s CNN table: the peak resident memory
// of a process that runs the conv kernel's forward pass once. It runs in a
// child — `parlab memory --probe-conv ...`, this binary re-executed — so the
// figure is that process's alone: not the parent's heap, not pages an earlier
// experiment left resident, not its OpenMP pools. The child reports its own
// VmRSS before anything is allocated (the baseline: the executable, its
// libraries, the C++ runtime), after the input and output buffers are made,
// and its VmHWM after the pass, one "key value" line each on descriptor 3.

#include <cstdint>
#include <string>

#include "shared/kernels/kernel.h"
#include "shared/status.h"

namespace parlab {

struct ConvPeak {
  int64_t baseline_rss_bytes = 0;  // the child before any buffer
  int64_t buffers_rss_bytes = 0;   // input (image + parameters) and output made and filled
  int64_t peak_rss_bytes = 0;      // VmHWM after one forward pass
  int threads = 1;
  // What the pass added on top of the baseline: buffers and the kernel's scratch.
  int64_t kernel_share_bytes() const { return peak_rss_bytes - baseline_rss_bytes; }
};

// The child's side: prepares the buffers, runs one pass with `threads`
// threads, and writes the three figures to `fd`. Errors if /proc cannot be read.
Status RunConvProbe(const KernelParams& conv, int threads, int fd);

// The parent's side: runs `parlab_path memory --probe-conv` with the shape of
// `conv` and reads its answer. Fails (kInternal) when the child cannot start,
// fails or answers nonsense; its stderr is ours, so its message shows.
Result<ConvPeak> MeasureConvPeakInChild(const std::string& parlab_path, const KernelParams& conv,
                                        int threads);

// Where the parlab executable is: $PARLAB_BIN if set (tests), else `parlab`
// beside the running executable.
std::string ParlabPath();

}  // namespace parlab
