#include "shared/stats.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "shared/check.h"

namespace parlab {
namespace {

constexpr double kPi = 3.14159265358979323846;

// P(|T| < t) for T ~ Student's t with integer nu >= 3 degrees of freedom, written
// as a function of theta = atan(t / sqrt(nu)) — Abramowitz & Stegun 26.7.3 (nu odd)
// and 26.7.4 (nu even). Finite series of nu/2 positive, shrinking terms: no
// cancellation, no gamma functions (std::lgamma writes the global signgam).
double StudentTwoSidedMass(double theta, long long nu) {
  const double s = std::sin(theta);
  const double c = std::cos(theta);
  const double c2 = c * c;
  if (nu % 2 == 1) {
    // (2/pi) (theta + s (c + 2/3 c^3 + 2·4/(3·5) c^5 + ... up to c^(nu-2)))
    double term = c;
    double sum = c;
    for (long long k = 1; k <= (nu - 3) / 2; ++k) {
      term *= c2 * static_cast<double>(2 * k) / static_cast<double>(2 * k + 1);
      sum += term;
    }
    return 2.0 / kPi * (theta + s * sum);
  }
  // s (1 + 1/2 c^2 + 1·3/(2·4) c^4 + ... up to c^(nu-2))
  double term = 1.0;
  double sum = 1.0;
  for (long long k = 1; k <= (nu - 2) / 2; ++k) {
    term *= c2 * static_cast<double>(2 * k - 1) / static_cast<double>(2 * k);
    sum += term;
  }
  return s * sum;
}

// Cornish-Fisher expansion of t in powers of 1/nu around the normal quantile
// (Abramowitz & Stegun 26.7.5). At nu > 1000 the first omitted term is below 1e-13.
double StudentTQuantileLargeDf(double p, double nu) {
  const double z = NormalQuantile(p);
  const double z2 = z * z;
  const double g1 = (z2 + 1.0) * z / 4.0;
  const double g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
  const double g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
  const double g4 =
      ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
  return z + (g1 + (g2 + (g3 + g4 / nu) / nu) / nu) / nu;
}

}  // namespace

double NormalQuantile(double p) {
  PARLAB_CHECK(p > 0.0 && p < 1.0) << "p = " << p;
  // Peter Acklam's rational approximation (relative error 1.15e-9) ...
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double kLow = 0.02425;
  double x;
  if (p < kLow || p > 1.0 - kLow) {
    const double q = std::sqrt(-2.0 * std::log(p < kLow ? p : 1.0 - p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    if (p > 1.0 - kLow) x = -x;
  } else {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  }
  // ... then one Halley step on Phi(x) - p, computed with erfc to keep the tails
  // accurate, brings it to full double precision.
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * std::sqrt(2.0 * kPi) * std::exp(x * x / 2.0);
  return x - u / (1.0 + x * u / 2.0);
}

double StudentTQuantile(double p, long long df) {
  PARLAB_CHECK(p > 0.0 && p < 1.0) << "p = " << p;
  PARLAB_CHECK(df >= 1) << "df = " << df;
  if (p < 0.5) return -StudentTQuantile(1.0 - p, df);
  if (p == 0.5) return 0.0;
  const auto nu = static_cast<double>(df);
  // Closed forms: Cauchy for 1, and the 2-df inverse.
  if (df == 1) return std::tan(kPi * (p - 0.5));
  if (df == 2) return (2.0 * p - 1.0) / std::sqrt(2.0 * p * (1.0 - p));
  if (df > 1000) return StudentTQuantileLargeDf(p, nu);
  // Bisection on theta in [0, pi/2), where the two-sided mass rises monotonically
  // from 0 to 1; the bounded interval needs no bracketing search.
  const double target = 2.0 * p - 1.0;
  double lo = 0.0;
  double hi = kPi / 2.0;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;  // the interval is one ulp wide
    if (StudentTwoSidedMass(mid, df) < target) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return std::sqrt(nu) * std::tan(0.5 * (lo + hi));
}

double Percentile(const std::vector<double>& sorted, double q) {
  PARLAB_CHECK(q >= 0.0 && q <= 100.0) << "percentile must be in [0, 100], got " << q;
  assert(std::is_sorted(sorted.begin(), sorted.end()));
  if (sorted.empty()) return 0.0;
  const double h = static_cast<double>(sorted.size() - 1) * q / 100.0;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  const double frac = h - static_cast<double>(lo);
  return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

Summary Summarize(const std::vector<double>& samples) {
  Summary s;
  s.count = samples.size();
  if (samples.empty()) return s;
  for (double x : samples) PARLAB_CHECK(std::isfinite(x)) << "non-finite sample " << x;

  std::vector<double> sorted = samples;
  std::sort(sorted.begin(), sorted.end());
  const auto n = static_cast<double>(s.count);

  // Two passes (mean, then squared deviations): the one-pass sum-of-squares
  // formula cancels catastrophically for timings like 1e9 ± 10 ns.
  double sum = 0.0;
  for (double x : sorted) sum += x;
  s.mean = sum / n;
  if (s.count > 1) {
    double squares = 0.0;
    for (double x : sorted) squares += (x - s.mean) * (x - s.mean);
    s.stddev = std::sqrt(squares / (n - 1.0));
  }

  s.min = sorted.front();
  s.max = sorted.back();
  s.median = Percentile(sorted, 50.0);
  s.p95 = Percentile(sorted, 95.0);
  s.p99 = Percentile(sorted, 99.0);
  s.cv = s.mean != 0.0 ? s.stddev / std::fabs(s.mean) : 0.0;

  if (s.count > 1) {
    const double t = StudentTQuantile(0.975, static_cast<long long>(s.count - 1));
    s.ci95_half_width = t * s.stddev / std::sqrt(n);
  }
  s.ci95_low = s.mean - s.ci95_half_width;
  s.ci95_high = s.mean + s.ci95_half_width;
  return s;
}

}  // namespace parlab
