#include "shared/kernels/pca.h"

#include <cmath>

#include "shared/kernels/buffer_views.h"
#include "shared/kernels/eigen.h"
#include "shared/kernels/kernel_checks.h"
#include "shared/kernels/omp_threads.h"
#include "shared/kernels/random.h"
#include "shared/kernels/scratch_buffer.h"
#include "shared/kernels/stage_timer.h"

namespace parlab {
namespace {

// Centres and scales each column of x in place.
void Normalise(MatrixMap& x) {
  const auto rows = static_cast<double>(x.rows());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    auto column = x.col(j);
    column.array() -= column.mean();
    const double std_dev = std::sqrt(column.squaredNorm() / rows);
    if (std_dev > 0) column /= std_dev;
  }
}

// svd_flip's rule: the largest-magnitude entry of each component is positive.
void FixSigns(Eigen::MatrixXd& components) {
  for (Eigen::Index j = 0; j < components.cols(); ++j) {
    Eigen::Index largest = 0;
    components.col(j).cwiseAbs().maxCoeff(&largest);
    if (components(largest, j) < 0) components.col(j) *= -1;
  }
}

}  // namespace

KernelParams PcaKernel::Defaults() const {
  KernelParams params;
  params.set_kernel(std::string(name()));
  params.set_seed(1);
  params.set_rows(1000);
  params.set_cols(100);
  params.set_k(10);
  return params;
}

Status PcaKernel::Validate(const KernelParams& params) const {
  PARLAB_RETURN_IF_ERROR(CheckRange(name(), "rows", params.rows(), 2, 10'000'000));
  PARLAB_RETURN_IF_ERROR(CheckRange(name(), "cols", params.cols(), 1, 10'000));
  if (params.k() < 1 || params.k() > params.cols()) {
    return InvalidArgument("pca: k must be 1..cols (" + std::to_string(params.cols()) + "), got " +
                           std::to_string(params.k()));
  }
  const auto rows = static_cast<double>(params.rows());
  const auto cols = static_cast<double>(params.cols());
  const auto k = static_cast<double>(params.k());
  // Input X, its normalised copy, the output and a few cols×cols matrices in the SVD.
  const double bytes = 8 * (2 * rows * cols + rows * k + 4 * cols * cols);
  return CheckMemory(
      name(), "rows=" + std::to_string(params.rows()) + " cols=" + std::to_string(params.cols()),
      bytes);
}

size_t PcaKernel::InputBytes(const KernelParams& params) const {
  if (!Validate(params).ok()) return 0;
  return static_cast<size_t>(params.rows() * params.cols()) * sizeof(double);
}

size_t PcaKernel::OutputBytes(const KernelParams& params) const {
  if (!Validate(params).ok()) return 0;
  return static_cast<size_t>(params.rows() * params.k()) * sizeof(double);
}

void PcaKernel::FillInput(const KernelParams& params, MutableBytes input) const {
  CheckInputBuffer(*this, params, input);
  FillUniform(params.seed(), 0, ArrayAt<double>(input, 0),
              static_cast<size_t>(params.rows() * params.cols()));
}

KernelResult PcaKernel::Run(const KernelParams& params, ConstBytes input, MutableBytes output,
                            const KernelContext& context) const {
  CheckRunBuffers(*this, params, input, output);
  // Kept per thread between calls: the normalised copy of X, the covariance and
  // the SVD's workspace, which Eigen reuses when the size does not change.
  thread_local ScratchBuffer x_scratch;
  thread_local Eigen::MatrixXd covariance;
  thread_local Eigen::BDCSVD<Eigen::MatrixXd> svd;

  SetOpenMpThreads(context.threads);
  const Eigen::Index rows = params.rows();
  const Eigen::Index cols = params.cols();
  const Eigen::Index k = params.k();
  KernelResult result;
  result.stages.reserve(4);
  StageTimer timer(&result.stages);

  MatrixMap x(x_scratch.Get<double>(static_cast<size_t>(rows * cols)), rows, cols);
  x = ConstMatrixMap(ArrayAt<double>(input, 0), rows, cols);
  Normalise(x);
  timer.End("normalise");

  covariance.resize(cols, cols);
  covariance.noalias() = x.transpose() * x;
  covariance /= static_cast<double>(rows);
  timer.End("covariance");

  svd.compute(covariance, Eigen::ComputeThinV);
  Eigen::MatrixXd components = svd.matrixV().leftCols(k);
  FixSigns(components);
  timer.End("svd");

  MatrixMap projection(ArrayAt<double>(output, 0), rows, k);
  projection.noalias() = x * components;
  timer.End("projection");

  const auto r = static_cast<double>(rows);
  const auto c = static_cast<double>(cols);
  const auto kd = static_cast<double>(k);
  result.checksum = projection.cwiseAbs().sum();
  // normalise ~4 per entry (mean, subtract, square-add, divide); covariance a
  // full GEMM 2·rows·cols²; SVD with V of a cols×cols matrix 12·cols³ (Golub &
  // Van Loan 4th ed. §8.6.3 table: Σ and V cost 4mn² + 8n³); projection 2·rows·cols·k.
  result.flops = 4 * r * c + 2 * r * c * c + 12 * c * c * c + 2 * r * c * kd;
  result.bytes = 8 * (r * c + r * kd);
  return result;
}

}  // namespace parlab
