#pragma once
// Which OpenBLAS kernels parlab runs on. Debian's OpenBLAS 0.3.21 picks its
// kernels (its "core") once, when the library loads, from the CPU it
// recognises; a CPU newer than the library falls back to old kernels
// (Prescott: ~15 GFLOPS a core where SkylakeX gives ~78 on the project's
// Xeon). parlab then asks for the best core the CPU supports by setting
// OPENBLAS_CORETYPE and re-executing itself before any BLAS call
// (coordinator/cli/main.cc); its workers inherit the variable. A user's own
// OPENBLAS_CORETYPE is left alone. Pure functions and getenv reads; safe from
// any thread.

#include <set>
#include <string>
#include <string_view>

namespace parlab {

// Set next to OPENBLAS_CORETYPE when parlab chose it: the core OpenBLAS had
// picked on its own, so `parlab env` and reports can say what was changed.
inline constexpr char kOpenBlasOwnCoreVariable[] = "PARLAB_OPENBLAS_OWN_CORE";

// How wide the SIMD of an OpenBLAS x86-64 core's kernels is: 2 for the
// AVX-512 ones (SkylakeX, Cooperlake, SapphireRapids), 1 for AVX2+FMA
// (Haswell, Zen), 0 for anything older (OpenBLAS driver/others/dynamic.c).
int OpenBlasCoreSimdTier(std::string_view corename);

// The OPENBLAS_CORETYPE whose kernels fit a CPU with these /proc/cpuinfo
// flags: "SkylakeX" with avx512f, "Haswell" with avx2 and fma, "" otherwise
// (older kernels need no override). OpenBLAS accepts any name it knows even
// when the CPU lacks the instructions, so the rule must come from the flags:
// SkylakeX on an AVX2-only CPU dies of SIGILL.
std::string_view BestOpenBlasCore(const std::set<std::string>& cpu_flags);

// The core to ask for when OpenBLAS's own pick `corename` uses narrower SIMD
// than the CPU with `cpu_flags` has; "" when its pick fits or is unknown.
std::string OpenBlasCoreUpgrade(const std::set<std::string>& cpu_flags, std::string_view corename);

// What this process runs and why, in one line for `parlab env` and reports:
// "set by parlab (OPENBLAS_CORETYPE=SkylakeX): OpenBLAS alone chose Prescott",
// "OPENBLAS_CORETYPE=Haswell from the environment", or "OpenBLAS's own choice".
// `coretype` and `own_core` are the two variables' values (nullptr: unset).
std::string DescribeOpenBlasCoreChoice(const char* coretype, const char* own_core);
// The same for this process's environment.
std::string OpenBlasCoreChoice();

// openblas_get_corename() of this process: the kernels OpenBLAS runs.
std::string OpenBlasCoreName();

// The core this process should ask for: OpenBlasCoreUpgrade of this CPU's
// flags and openblas_get_corename(); "" when OPENBLAS_CORETYPE is already set
// (by the user, or by parlab before a re-exec) or no upgrade is needed.
std::string OpenBlasCoreToRequest();

}  // namespace parlab
