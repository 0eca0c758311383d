#include "coordinator/notebook/memory_report.h"

#include <fmt/format.h>

#include "coordinator/runtime/job_spec.h"

namespace parlab {
namespace {

constexpr int64_t kMaxMatrixOrder = 20'000;  // 20000² int64: 3.2 GB

std::string Bytes(size_t bytes) { return FormatBytes(static_cast<double>(bytes)); }
std::string Bytes(int64_t bytes) { return FormatBytes(static_cast<double>(bytes)); }

void PrintTypes(const MemoryReport& report, std::ostream& out) {
  out << fmt::format("Memory usage by data type ({0}x{0} matrix)\n", report.n);
  out << fmt::format("{:<9} {:<12} {:>6} {:>12} {:>14} {:>14}\n", "dtype", "Eigen scalar", "bytes",
                     "computed", "Eigen matrix", "resident");
  for (size_t i = 0; i < report.types.size(); ++i) {
    const MatrixTypeSize& type = report.types[i];
    const MatrixResidency& measured = report.measured_types[i];
    out << fmt::format("{:<9} {:<12} {:>6} {:>12} {:>14} {:>14}\n", type.name, type.eigen_type,
                       type.element_bytes, Bytes(type.bytes), Bytes(measured.eigen_bytes),
                       measured.resident_known ? Bytes(measured.resident_bytes) : "unknown");
  }
  out << "(Eigen matrix: rows·cols·sizeof(Scalar) of a matrix allocated now; resident: its\n"
         " pages in RAM after zeroing, counted by mincore in whole pages)\n";
}

void PrintCnn(const MemoryReport& report, std::ostream& out) {
  const KernelParams& c = report.conv;
  out << fmt::format(
      "\nMemory estimation for a small CNN (float32, batch {}, {}x{}x{} input, layers {})\n",
      c.batch(), c.channels(), c.height(), c.width(), c.layers());
  const std::string rule(95, '-');
  out << fmt::format("{:<20} {:<22} {:>12} {:>12} {:>12} {:>12}\n", "Layer", "Output shape",
                     "params", "output", "im2col", "total");
  out << rule << "\n";
  for (const CnnRow& row : report.cnn.rows) {
    out << fmt::format("{:<20} {:<22} {:>12} {:>12} {:>12} {:>12}\n", row.name, row.shape,
                       row.param_bytes == 0 ? "-" : Bytes(row.param_bytes), Bytes(row.output_bytes),
                       row.im2col_bytes == 0 ? "-" : Bytes(row.im2col_bytes),
                       Bytes(row.total_bytes()));
  }
  out << rule << "\n";
  out << fmt::format("{:<43} {:>51}\n", "Total (estimated, everything kept at once)",
                     Bytes(report.cnn.total_bytes));
  const CnnEstimate& e = report.cnn;
  out << fmt::format("{:<43} {:>51}\n", "parlab's conv keeps alive at once",
                     Bytes(e.kernel_live_bytes()));
  out << fmt::format("  = input buffer (image + parameters) {} + output {} + scratch {}\n",
                     Bytes(e.kernel_input_bytes), Bytes(e.kernel_output_bytes),
                     Bytes(e.kernel_scratch_bytes));
  out << "    (scratch: one im2col buffer of the largest layer and two activation buffers,\n"
         "     reused layer after layer)\n";

  out << "\nMeasured: peak resident memory of a child process running this forward pass\n";
  if (!report.peak) {
    out << "  not measured: " << report.peak_note << "\n";
    return;
  }
  const ConvPeak& p = *report.peak;
  const std::string threads =
      fmt::format("peak during the pass ({} thread{})", p.threads, p.threads == 1 ? "" : "s");
  out << fmt::format("  {:<44} {:>12}\n", "baseline (started, nothing allocated)",
                     Bytes(p.baseline_rss_bytes));
  out << fmt::format("  {:<44} {:>12}  (+{})\n", "input and output buffers made and filled",
                     Bytes(p.buffers_rss_bytes), Bytes(p.buffers_rss_bytes - p.baseline_rss_bytes));
  out << fmt::format("  {:<44} {:>12}  (+{} scratch)\n", threads, Bytes(p.peak_rss_bytes),
                     Bytes(p.peak_rss_bytes - p.buffers_rss_bytes));
  const int64_t share = p.kernel_share_bytes();
  out << fmt::format("  the kernel's own share: peak - baseline = {}\n", Bytes(share));
  out << fmt::format(
      "    {:.2f}x what parlab's conv keeps alive by the arithmetic above, {:.2f}x "
      "the notebook's total\n",
      static_cast<double>(share) / static_cast<double>(e.kernel_live_bytes()),
      static_cast<double>(share) / static_cast<double>(e.total_bytes));
  out << "    (the two differ: pages never written are not resident — an activation buffer\n"
         "     that only ever holds pooled outputs stays partly untouched —, and the allocator\n"
         "     and GEMM's packing buffers add their own)\n";
}

}  // namespace

KernelParams CompleteConvParams(const KernelParams& conv) {
  KernelParams params = FindKernel("conv")->Defaults();
  if (conv.batch() != 0) params.set_batch(conv.batch());
  if (conv.channels() != 0) params.set_channels(conv.channels());
  if (conv.height() != 0) params.set_height(conv.height());
  if (conv.width() != 0) params.set_width(conv.width());
  if (!conv.layers().empty()) params.set_layers(conv.layers());
  if (conv.seed() != 0) params.set_seed(conv.seed());
  return params;
}

Result<MemoryReport> MeasureMemory(const MemoryOptions& options) {
  if (options.n < 1 || options.n > kMaxMatrixOrder) {
    return InvalidArgument("--n must be 1.." + std::to_string(kMaxMatrixOrder) + ", got " +
                           std::to_string(options.n));
  }
  if (options.threads < 1 || options.threads > kMaxThreads) {
    return InvalidArgument("--threads must be 1.." + std::to_string(kMaxThreads) + ", got " +
                           std::to_string(options.threads));
  }
  MemoryReport report;
  report.n = options.n;
  report.conv = CompleteConvParams(options.conv);
  PARLAB_ASSIGN_OR_RETURN(CnnEstimate cnn, EstimateCnn(report.conv));
  report.cnn = std::move(cnn);
  report.types = MatrixTypeSizes(options.n);
  report.measured_types = MeasureMatrixTypes(options.n);
  if (!options.measure_peak) {
    report.peak_note = "skipped (--no-peak)";
    return report;
  }
  const std::string path = options.parlab_path.empty() ? ParlabPath() : options.parlab_path;
  Result<ConvPeak> peak = MeasureConvPeakInChild(path, report.conv, options.threads);
  if (peak.ok()) {
    report.peak = *peak;
  } else if (peak.status().code() == StatusCode::kNotFound) {
    report.peak_note = peak.status().message();  // no parlab to run: say so, go on
  } else {
    return peak.status();
  }
  return report;
}

void PrintMemory(const MemoryReport& report, std::ostream& out) {
  PrintTypes(report, out);
  PrintCnn(report, out);
}

Table MemoryCsvTable(const MemoryReport& report) {
  Table table;
  table.columns = {
      "part",           "name",        "shape",        "element_bytes", "bytes", "allocated_bytes",
      "resident_bytes", "param_bytes", "output_bytes", "im2col_bytes"};
  const std::string shape = fmt::format("({}, {})", report.n, report.n);
  for (size_t i = 0; i < report.types.size(); ++i) {
    const MatrixTypeSize& type = report.types[i];
    std::string allocated, resident;
    if (i < report.measured_types.size()) {
      const MatrixResidency& measured = report.measured_types[i];
      allocated = std::to_string(measured.eigen_bytes);
      if (measured.resident_known) resident = std::to_string(measured.resident_bytes);
    }
    table.rows.push_back({"matrix", type.name, shape, std::to_string(type.element_bytes),
                          std::to_string(type.bytes), allocated, resident, "", "", ""});
  }
  for (const CnnRow& row : report.cnn.rows) {
    table.rows.push_back({"cnn", row.name, row.shape, "", std::to_string(row.total_bytes()), "", "",
                          std::to_string(row.param_bytes), std::to_string(row.output_bytes),
                          std::to_string(row.im2col_bytes)});
  }
  return table;
}

}  // namespace parlab
