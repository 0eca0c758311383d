#include "coordinator/runtime/checksums.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace parlab {

Status CheckChecksums(const std::vector<TaskRecord>& records, uint64_t tasks_listed) {
  const uint64_t slots = std::max<uint64_t>(1, tasks_listed);
  // The first answered record of each task of the list: what the others match.
  std::vector<const TaskRecord*> firsts(slots, nullptr);
  for (const TaskRecord& record : records) {
    if (record.outcome != TaskOutcome::kOk) continue;
    const TaskRecord*& first = firsts[record.id % slots];
    // The first is compared with itself, so that a NaN alone is caught too.
    if (first == nullptr) first = &record;
    const double reference = first->checksum;
    const double tolerance = 1e-9 * std::max(1.0, std::abs(reference));
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
