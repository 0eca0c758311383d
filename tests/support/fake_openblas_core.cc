// A stand-in for OpenBLAS's openblas_get_corename(), preloaded into `parlab`
// by tests/coordinator/cli/openblas_restart_test.cc (LD_PRELOAD): it reports
// the Prescott kernels that Debian's OpenBLAS 0.3.21 falls back to on a CPU it
// does not know — the case parlab restarts itself for — until
// OPENBLAS_CORETYPE is set, and then the core that was asked for, as OpenBLAS
// does. Everything else stays the real OpenBLAS.
#include <cstdlib>

extern "C" char* openblas_get_corename(void) {
  static char prescott[] = "Prescott";
  char* asked = std::getenv("OPENBLAS_CORETYPE");
  return asked != nullptr && *asked != '\0' ? asked : prescott;
}
