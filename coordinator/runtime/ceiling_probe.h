#pragma once
// Measures the machine's ceiling (coordinator/report/ceiling.h): the `loop`
// kernel's busy loop (kernels/loop.h, the same code every loop task runs)
// alone on this thread, then one copy on each of `cores` threads started
// together; ceiling = cores × alone / together. Each side is the best of a
// few repeats, so a single preemption does not decide it.
//
// The commands probe before and after their trials (never while a mode's
// threads or workers run, which would measure them instead): on a shared VM
// what the machine delivers drifts between runs, and the probe's spread says
// by how much. The threads are joined before Probe returns, so a later fork
// of workers inherits none. Blocking; call it from one thread.

#include <cstdint>
#include <string>

#include "proto/parlab.pb.h"
#include "shared/status.h"

namespace parlab {

struct CeilingOptions {
  int cores = 0;         // busy loops at once; 0: the usable cores
  double loop_s = 0.02;  // one loop alone lasts about this long (calibrated once)
  int repeats = 3;       // of each side; the best counts
};

class CeilingProbe {
 public:
  // Calibrates the loop's n to options.loop_s on this thread. Errors name the
  // option: cores 1..1024, loop_s in (0, 10], repeats 1..100.
  static Result<CeilingProbe> Make(const CeilingOptions& options);

  // One measurement, labelled `when` ("env", "before", "after").
  pb::CeilingProbe Probe(const std::string& when) const;

  int cores() const { return cores_; }
  int64_t loop_n() const { return loop_n_; }

 private:
  CeilingProbe(int cores, int repeats, int64_t loop_n)
      : cores_(cores), repeats_(repeats), loop_n_(loop_n) {}

  int cores_;
  int repeats_;
  int64_t loop_n_;
};

}  // namespace parlab
