#pragma once
// Summary statistics of benchmark trials: what every parlab figure reports
// (mean ± std, median, min, max, p95, p99, CV and a 95% confidence interval of
// the mean from Student's t). Pure functions; safe from any thread.

#include <cstddef>
#include <vector>

namespace parlab {

struct Summary {
  std::size_t count = 0;
  double mean = 0.0;
  double stddev = 0.0;  // sample standard deviation (divides by n - 1); 0 for n = 1
  double median = 0.0;
  double min = 0.0;
  double max = 0.0;
  double p95 = 0.0;
  double p99 = 0.0;
  double cv = 0.0;  // coefficient of variation, stddev / |mean|; 0 when mean is 0
  // 95% confidence interval of the mean: mean ± t(0.975, n-1) · stddev / sqrt(n).
  // For n = 1 there is no spread to estimate: the interval collapses to [mean, mean].
  double ci95_half_width = 0.0;
  double ci95_low = 0.0;
  double ci95_high = 0.0;
};

// Summarises the trials (warmup already discarded by the caller).
// No samples gives a Summary with count 0 and every field 0 — never NaN — so a
// job whose tasks all failed still prints. Samples must be finite (a NaN timing
// is a bug upstream and aborts loudly rather than corrupting the sort).
Summary Summarize(const std::vector<double>& samples);

// The q-th percentile, q in [0, 100], of ascending `sorted` samples, with linear
// interpolation between order statistics — numpy.percentile's default method
// ("linear", Hyndman & Fan type 7): rank h = (n - 1) · q / 100, then
// x[floor h] + (h - floor h) · (x[floor h + 1] - x[floor h]).
// Returns 0 for no samples. q outside [0, 100] is a bug and aborts.
double Percentile(const std::vector<double>& sorted, double q);

// Student's t quantile: the t with P(T <= t) = p for `df` degrees of freedom.
// p in (0, 1), df >= 1. Exact to ~1e-12 up to df = 1000 (A&S 26.7.3/26.7.4 series,
// inverted by bisection), a Cornish-Fisher expansion beyond (error < 1e-12 there).
double StudentTQuantile(double p, long long df);

// The standard normal quantile, z with Phi(z) = p, p in (0, 1)
// (Acklam's rational approximation refined by one Halley step: ~1e-15).
double NormalQuantile(double p);

}  // namespace parlab
