#include "coordinator/runtime/checksums.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace parlab {

Status CheckChecksums(const std::vector<TaskRecord>& records) {
  const auto answered = [](const TaskRecord& r) { return r.outcome == TaskOutcome::kOk; };
  const auto first = std::find_if(records.begin(), records.end(), answered);
  if (first == records.end()) return Status::Ok();
  const double reference = first->checksum;
  const double tolerance = 1e-9 * std::max(1.0, std::abs(reference));
  for (const TaskRecord& record : records) {
    if (!answered(record)) continue;
    // Written as !(<=) so that a NaN on either side is a mismatch too.
    if (!(std::abs(record.checksum - reference) <= tolerance)) {
      std::ostringstream out;
      out.precision(17);
      out << "task " << record.id << " computed checksum " << record.checksum << " but task "
          << first->id << " computed " << reference << ": a wrong answer";
      return Internal(out.str());
    }
  }
  return Status::Ok();
}

}  // namespace parlab
