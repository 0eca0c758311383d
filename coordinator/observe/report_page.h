#pragma once
// `parlab report`'s page: one self-contained HTML file — inline CSS and SVG,
// no script, font or style from a network — for any mix of inputs
// (report_input.h): a section per run, compare, sweep or analyse output, and
// one section for all the logs side by side. Each section has its summary
// table and the charts its data allows (report_charts.h). A short inline
// script checks, when the page loads, that every chart has a non-zero size
// and that no script error happened, and writes the verdict into
// <pre id="selfcheck"> ("charts=5 zero=0 errors=0") for tests and readers.
// Every string from the inputs is escaped. Pure; safe from any thread.

#include <string>
#include <vector>

#include "coordinator/observe/report_input.h"

namespace parlab {

// The machine the page is made on: what runs GEMM there (the inputs from
// JSON do not say; logs carry their own machine in their header).
struct ReportMachine {
  std::string cpu_model;
  std::string gemm_backend;
  std::string openblas_core;
  std::string openblas_core_choice;
};

struct ReportPageOptions {
  size_t timeline_tasks = 200;  // tasks drawn in each log's timeline
  std::string generated;        // when the page was made, as text ("" leaves it out)
};

// `inputs` must not be empty.
std::string RenderReportPage(const std::vector<ReportInput>& inputs, const ReportMachine& machine,
                             const ReportPageOptions& options = {});

// How many charts RenderReportPage draws for `inputs` (what the self-check
// should count).
int CountReportCharts(const std::string& page);

}  // namespace parlab
