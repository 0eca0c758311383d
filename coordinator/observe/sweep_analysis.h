#pragma once
// The arithmetic of a scaling sweep: speedup against the seq reference,
// parallel efficiency, Karp and Flatt's experimentally determined serial
// fraction, and a least-squares Amdahl fit over each mode's series.
// Pure functions; safe from any thread.

#include <optional>
#include <string>
#include <vector>

#include "proto/parlab.pb.h"

namespace parlab {

// Karp & Flatt, "Measuring parallel processor performance", CACM 33(5), 1990:
// e = (1/S − 1/p) / (1 − 1/p). A serial fraction that grows with p points at
// overhead (communication, contention) rather than at serial code.
// nullopt at p <= 1 (the formula is 0/0 there) or for S <= 0.
std::optional<double> KarpFlatt(double speedup, double p);

// Amdahl's law: S(p) = 1 / (f + (1 − f) / p), f the serial fraction.
double AmdahlSpeedup(double serial_fraction, double p);

struct ScalingPoint {
  double p = 1;        // parallel units
  double speedup = 0;  // against the sequential reference
};

// The f in [0, 1] that minimises Σ (S_i − AmdahlSpeedup(f, p_i))² — least
// squares on the speedups themselves, as the plot shows them — found by a grid
// scan and a golden-section search (the sum is smooth in f; the scan keeps the
// search out of a poor local basin). residual_rms is the root mean square of
// S_i − AmdahlSpeedup(f, p_i). Not fitted when no point has p > 1: every f
// predicts S(1) = 1. A superlinear series gives f = 0, a series slower than
// serial f = 1: the bounds of the law; the residual shows the misfit.
pb::AmdahlFit FitAmdahl(const std::vector<ScalingPoint>& points);

// One measured job of the sweep.
struct SweepMeasurement {
  std::string mode;
  int workers = 1;
  int parallel_units = 1;  // ParallelUnits(job)
  pb::JobSummary summary;  // SummarizeJob(outcome)
};

// The report: one series per mode (in order of first appearance), each point
// with its speedup against `reference` (seq's summary), efficiency, Karp–Flatt
// e and IPC share; points with more parallel units than `usable_cores` marked
// oversubscribed and left out of the mode's Amdahl fit (past the cores,
// time-slicing bends the curve, not serial code). Warnings of the summaries
// are gathered once each, prefixed with their point.
pb::SweepReport BuildSweepReport(const pb::JobSummary& reference,
                                 const std::vector<SweepMeasurement>& measurements,
                                 int usable_cores);

}  // namespace parlab
