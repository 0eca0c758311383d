#pragma once
// The first thing `parlab` does (main.cc): run on the best OpenBLAS kernels
// the CPU supports. OpenBLAS reads OPENBLAS_CORETYPE only when it loads,
// before main, so when its own pick is narrower than the CPU's SIMD
// (coordinator/report/openblas_core.h) parlab sets the variable — and
// PARLAB_OPENBLAS_OWN_CORE, to say so in `parlab env` and reports — and
// executes itself again; the workers it starts inherit both. A user's
// OPENBLAS_CORETYPE is kept as it is. Call before any thread starts.

namespace parlab {

// Returns when nothing needs changing, or when the re-exec failed (a note on
// stderr; parlab then runs on OpenBLAS's own pick, which `parlab env` warns of).
void RestartOnBestOpenBlasCore(char** argv);

}  // namespace parlab
