#pragma once
// The results of `parlab memory`, `profile` and `advise` as their messages
// in proto/report.proto (`timeit`'s result is its message already,
// timeit_runner.h) — what --json prints (report/json_output.h).
// Each is a plain copy of the figures the text report prints; nothing is
// computed here that the text does not show. Pure; thread-safe.

#include <optional>

#include "coordinator/notebook/advise_runner.h"
#include "coordinator/notebook/memory_report.h"
#include "coordinator/notebook/profile_perf.h"
#include "coordinator/notebook/profile_stages.h"
#include "proto/report.pb.h"

namespace parlab {

pb::MemoryReport MemoryMessage(const MemoryReport& report);
// `perf`: the --perf run, when there was one.
pb::ProfileReport ProfileMessage(const ProfileReport& report, const std::optional<PerfStat>& perf);
pb::AdviseReport AdviseMessage(const AdviceReport& report);

}  // namespace parlab
