#include "coordinator/cli/memory_command.h"

#include <iostream>
#include <memory>

#include "coordinator/cli/format_flags.h"
#include "coordinator/notebook/memory_probe.h"
#include "coordinator/notebook/memory_report.h"
#include "coordinator/notebook/notebook_messages.h"
#include "coordinator/report/json_output.h"

namespace parlab {
namespace {

// The descriptor the parent hands the probe child (ChildProcess: inherited as 3).
constexpr int kProbeFd = 3;

struct MemoryFlags {
  MemoryOptions options;
  int64_t batch = 0, channels = 0, size = 0, height = 0, width = 0;
  std::string layers;
  bool no_peak = false;
  bool json = false;
  bool csv = false;
  bool probe_conv = false;
  CLI::Option* size_opt = nullptr;
  CLI::Option* height_opt = nullptr;
  CLI::Option* width_opt = nullptr;
  CLI::Option* batch_opt = nullptr;
  CLI::Option* channels_opt = nullptr;
  CLI::Option* layers_opt = nullptr;

  // The conv kernel's defaults with the given flags on top (--size sets
  // both sides; --height and --width override it).
  KernelParams Conv() const {
    KernelParams conv = FindKernel("conv")->Defaults();
    if (batch_opt->count() > 0) conv.set_batch(batch);
    if (channels_opt->count() > 0) conv.set_channels(channels);
    if (size_opt->count() > 0) {
      conv.set_height(size);
      conv.set_width(size);
    }
    if (height_opt->count() > 0) conv.set_height(height);
    if (width_opt->count() > 0) conv.set_width(width);
    if (layers_opt->count() > 0) conv.set_layers(layers);
    return conv;
  }
};

}  // namespace

Command AddMemoryCommand(CLI::App& app) {
  CLI::App* sub = app.add_subcommand(
      "memory",
      "How much memory a matrix per element type and a CNN forward pass take: computed, "
      "allocated, and the peak resident memory of a child process running the pass");
  auto flags = std::make_shared<MemoryFlags>();
  sub->add_option("--n", flags->options.n, "order of the n×n matrix of the per-type table")
      ->capture_default_str();
  const char* cnn = "CNN (defaults: the notebook's, batch 32 of 3x64x64, c32,p2,c64,p2,c128)";
  flags->batch_opt = sub->add_option("--batch", flags->batch, "images per batch")->group(cnn);
  flags->channels_opt =
      sub->add_option("--channels", flags->channels, "input channels")->group(cnn);
  flags->size_opt =
      sub->add_option("--size", flags->size, "input height and width (square images)")->group(cnn);
  flags->height_opt = sub->add_option("--height", flags->height, "input height")->group(cnn);
  flags->width_opt = sub->add_option("--width", flags->width, "input width")->group(cnn);
  flags->layers_opt =
      sub->add_option("--layers", flags->layers,
                      "cN: 3x3 convolution (padding 1) to N channels; pK: KxK max pooling")
          ->group(cnn);
  sub->add_option("--threads,-t", flags->options.threads,
                  "threads inside the measured forward pass")
      ->capture_default_str();
  sub->add_flag("--no-peak", flags->no_peak,
                "compute only; do not run the forward pass in a child process");
  AddFormatFlags(*sub, FormatFlags::Json(&flags->json, "MemoryReport")
                           .Csv(&flags->csv, "both tables as one, a row per type and layer"));
  // The child's side of the measurement; not for users.
  sub->add_flag("--probe-conv", flags->probe_conv)->group("");
  return {sub, [flags]() {
            MemoryOptions options = flags->options;
            options.conv = flags->Conv();
            options.measure_peak = !flags->no_peak;
            // Checked here: MeasureMemory would read a 0 as "the default".
            if (Status s = FindKernel("conv")->Validate(options.conv); !s.ok()) {
              return ReportError(s);
            }
            if (flags->probe_conv) {
              if (Status s = RunConvProbe(options.conv, options.threads, kProbeFd); !s.ok()) {
                return ReportError(s);
              }
              return kExitOk;
            }
            Result<MemoryReport> report = MeasureMemory(options);
            if (!report.ok()) return ReportError(report.status());
            if (flags->json) {
              std::cout << ToJson(MemoryMessage(*report)) << "\n";
            } else if (flags->csv) {
              std::cout << CsvTable(MemoryCsvTable(*report));
            } else {
              PrintMemory(*report, std::cout);
            }
            return kExitOk;
          }};
}

}  // namespace parlab
