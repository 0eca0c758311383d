#pragma once
// The kernels' inputs come from a seed so that every mode, thread and process
// sees the same data and checksums compare. splitmix64 (Steele, Lea and Flood,
// "Fast splittable pseudorandom number generators", OOPSLA 2014; Vigna's
// reference code): tiny, fast and good enough for test matrices — not for
// anything that needs statistical quality. A generator is a value, one per thread.

#include <cstddef>
#include <cstdint>

namespace parlab {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  // Uniform in [-1, 1), from the top 53 bits so that every value is exact.
  double NextSigned() { return static_cast<double>(Next() >> 11) * 0x1.0p-52 - 1.0; }
  // Uniform in [-1, 1), from the top 24 bits.
  float NextSignedFloat() { return static_cast<float>(Next() >> 40) * 0x1.0p-23f - 1.0f; }

 private:
  uint64_t state_;
};

// Fills `count` values uniform in [-1, 1) from (seed, stream). Different
// streams of one seed give unrelated values (matrix A and matrix B).
void FillUniform(uint64_t seed, uint64_t stream, double* out, size_t count);
void FillUniform(uint64_t seed, uint64_t stream, float* out, size_t count);

}  // namespace parlab
