#pragma once
// `parlab tour`: the notebook's experiments, one section each. A section is a
// name (what --section takes), a title, a short explanation, and a run()
// that measures and fills a pb::TourSection with rows (timed figures), facts
// (what it read), and conclusions computed from its own rows — never
// asserted: a conclusion states the figure it rests on.
//
// The registry is fixed and ordered as the notebook is. Sections run one
// after another on one thread; a later section may reuse an earlier
// section's rows (the decision guide reuses the summary's) through the
// context's report so far.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "coordinator/notebook/tour_python.h"
#include "coordinator/report/env_report.h"
#include "coordinator/report/progress.h"
#include "proto/parlab.pb.h"
#include "proto/report.pb.h"
#include "shared/status.h"

namespace parlab {

// What every section gets. Owned by the tour command; lives for the whole tour.
struct TourContext {
  bool quick = false;   // sizes shrunk so the whole tour takes under a minute
  int cores = 1;        // UsableCores()
  pb::EnvReport env;    // collected before any section ran: the start-up state
  PythonRunner python;  // the notebook's own code, when python3 with NumPy exists
  const pb::TourReport* report = nullptr;            // the sections that ran before this one
  std::function<void(const std::string&)> progress;  // a step inside a section; may be empty
  // The progress line the jobs of a step count their tasks on (not owned;
  // null: none); a step that runs jobs starts a new count on it
  // (tour_measure.h RunJobsInTurn).
  Progress* task_line = nullptr;
  // What the pure-loop experiments are sized by (tour_grain.h), measured on
  // first use and kept for the rest of the tour: one native iteration of the
  // loop, and the dispatch cost per task of procs with 2 workers.
  double loop_iteration_s = 0;
  double dispatch_s = 0;

  void Step(const std::string& what) const {
    if (progress) progress(what);
  }
};

struct TourSection {
  std::string name;
  std::string title;
  std::string explanation;
  double expected_full_s = 0;  // on the 2-core development VM, for the stated estimate
  double expected_quick_s = 0;
  std::function<Status(TourContext&, pb::TourSection&)> run;
};

// Every section, in the notebook's order.
const std::vector<TourSection>& TourSections();

// The sections --section selects: all of them for "", else those named in a
// comma-separated list ("gil,summary"), in the tour's order, each once. An
// unknown name is an invalid-argument error listing the names.
Result<std::vector<const TourSection*>> SelectTourSections(std::string_view names);

// "gil, gil-released, ..." for --help and errors.
std::string TourSectionNames();

// The row of section `section` labelled `label` in `report`; nullptr if absent.
const pb::TourRow* FindTourRow(const pb::TourReport& report, std::string_view section,
                               std::string_view label);

// The section factories, one file per group (tour_sections_*.cc).
TourSection GilSection();              // 1  gil
TourSection GilReleasedSection();      // 2  gil-released
TourSection BlasBackendsSection();     // 3  blas-backends
TourSection ThreadVariablesSection();  // 4  thread-variables
TourSection MatmulSizesSection();      // 5  matmul-sizes
TourSection ThreadControlSection();    // 6  thread-control
TourSection BlasOperationsSection();   // 7  blas-operations
TourSection BenchmarkRulesSection();   // 8  benchmark-rules
TourSection TimeitSection();           // 9  timeit
TourSection ProfileSection();          // 10 profile
TourSection MemorySection();           // 11 memory
TourSection SummarySection();          // 12 summary
TourSection DecisionSection();         // 13 decision
TourSection NextStepsSection();        // 14 next-steps

}  // namespace parlab
