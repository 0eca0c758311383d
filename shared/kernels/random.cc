#include "shared/kernels/random.h"

namespace parlab {
namespace {

// Spreads (seed, stream) apart: splitmix64's own mixing of the first output
// then decorrelates neighbouring seeds and streams.
SplitMix64 StreamGenerator(uint64_t seed, uint64_t stream) {
  return SplitMix64(seed ^ (stream * 0xD1B54A32D192ED03ull));
}

}  // namespace

void FillUniform(uint64_t seed, uint64_t stream, double* out, size_t count) {
  SplitMix64 rng = StreamGenerator(seed, stream);
  for (size_t i = 0; i < count; ++i) out[i] = rng.NextSigned();
}

void FillUniform(uint64_t seed, uint64_t stream, float* out, size_t count) {
  SplitMix64 rng = StreamGenerator(seed, stream);
  for (size_t i = 0; i < count; ++i) out[i] = rng.NextSignedFloat();
}

}  // namespace parlab
