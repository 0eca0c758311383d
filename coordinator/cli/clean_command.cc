#include "coordinator/cli/clean_command.h"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "coordinator/runtime/resource_check.h"
#include "shared/shm/segment.h"

namespace parlab {
namespace {

struct CleanOptions {
  bool dry_run = false;
};

uint64_t TotalBytes(const std::vector<SegmentFile>& segments) {
  uint64_t total = 0;
  for (const SegmentFile& segment : segments) total += segment.bytes;
  return total;
}

int RunClean(const CleanOptions& options) {
  Result<std::vector<SegmentFile>> segments =
      options.dry_run ? ListOrphanSegments() : RemoveOrphanSegments();
  if (!segments.ok()) return ReportError(segments.status());
  const char* verb = options.dry_run ? "would remove" : "removed";
  for (const SegmentFile& segment : *segments) {
    std::cout << verb << " /dev/shm" << segment.name << " ("
              << HumanBytes(static_cast<double>(segment.bytes)) << ", owner pid "
              << segment.owner_pid << " is gone)\n";
  }
  if (segments->empty()) {
    std::cout << "no orphaned parlab segments in /dev/shm\n";
  } else {
    std::cout << verb << " " << segments->size() << " segment" << (segments->size() == 1 ? "" : "s")
              << ", " << HumanBytes(static_cast<double>(TotalBytes(*segments))) << "\n";
  }
  return kExitOk;
}

}  // namespace

Command AddCleanCommand(CLI::App& app) {
  CLI::App* sub =
      app.add_subcommand("clean",
                         "Remove the shared-memory segments left in /dev/shm by a killed parlab "
                         "(parlab-<pid>-* of this user whose owner process is gone)");
  auto options = std::make_shared<CleanOptions>();
  sub->add_flag("--dry-run,-n", options->dry_run, "list what would be removed, remove nothing");
  return {sub, [options]() { return RunClean(*options); }};
}

void RemoveOrphansAtStart(std::ostream& err) {
  Result<std::vector<SegmentFile>> removed = RemoveOrphanSegments();
  if (!removed.ok()) {
    err << "parlab: warning: could not look for orphaned segments: " << removed.status().message()
        << "\n";
    return;
  }
  if (removed->empty()) return;
  err << "parlab: removed " << removed->size() << " orphaned segment"
      << (removed->size() == 1 ? "" : "s") << " ("
      << HumanBytes(static_cast<double>(TotalBytes(*removed)))
      << ") left in /dev/shm by a killed parlab:";
  for (const SegmentFile& segment : *removed) err << " " << segment.name;
  err << "\n";
}

}  // namespace parlab
