#pragma once
// `parlab memory`: the notebook's memory section computed and measured. Two
// tables: an n×n matrix per element type (bytes computed, what Eigen
// allocated, and how much of it is resident once zeroed), and the CNN forward
// pass (per layer: parameters, output, im2col; the notebook's total; what
// parlab's conv kernel keeps alive at once) next to the peak resident memory
// of a child process that runs that pass (memory_probe.h). Blocking; call it
// from one thread.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "coordinator/notebook/memory_estimate.h"
#include "coordinator/notebook/memory_probe.h"
#include "coordinator/notebook/memory_residency.h"
#include "coordinator/report/table.h"
#include "shared/kernels/kernel.h"
#include "shared/status.h"

namespace parlab {

struct MemoryOptions {
  int64_t n = 1000;          // the matrix order of the per-type table
  KernelParams conv;         // the network; empty fields take the conv kernel's defaults
  int threads = 1;           // threads inside the measured forward pass
  bool measure_peak = true;  // run the child; false: computed figures only
  std::string parlab_path;   // the executable the child runs; empty: ParlabPath()
};

struct MemoryReport {
  int64_t n = 0;
  std::vector<MatrixTypeSize> types;
  std::vector<MatrixResidency> measured_types;  // same order as types
  KernelParams conv;                            // complete, as measured
  CnnEstimate cnn;
  std::optional<ConvPeak> peak;  // nullopt when not measured
  std::string peak_note;         // why not, when peak is nullopt
};

// Fills conv's unset fields from the conv kernel's Defaults() (batch,
// channels, height, width, layers, seed: 0 or empty means unset).
KernelParams CompleteConvParams(const KernelParams& conv);

// Validates (n 1..20000: --n; the conv shape: the kernel's error; threads
// 1..256), computes, allocates the matrices, and measures the peak in a
// child. When there is no parlab executable to run, peak stays unset with
// the reason in peak_note (not an error); a child that fails is an error.
Result<MemoryReport> MeasureMemory(const MemoryOptions& options);

void PrintMemory(const MemoryReport& report, std::ostream& out);

// Both tables as one for --csv (report/table.h), a row per matrix type then
// a row per CNN row (input, layers): part ("matrix" or "cnn"), name, shape,
// element_bytes, bytes (computed: the matrix, or the CNN row's total),
// allocated_bytes and resident_bytes (matrices, measured; empty when not
// known), param_bytes, output_bytes, im2col_bytes (CNN rows). Plain bytes.
Table MemoryCsvTable(const MemoryReport& report);

}  // namespace parlab
