#include "coordinator/report/load_report.h"

#include <fmt/format.h>

namespace parlab {

pb::LoadProbe MakeLoadProbe(const std::optional<LoadSample>& before,
                            const std::optional<LoadSample>& after, int usable_cores) {
  pb::LoadProbe probe;
  if (!before || !after) return probe;
  probe.set_load_before(before->load1);
  probe.set_load_after(after->load1);
  probe.set_steal_share(StealShare(*before, *after));
  probe.set_usable_cores(usable_cores);
  probe.set_busy(before->load1 > usable_cores - kBusyLoadMargin ||
                 probe.steal_share() > kBusyStealShare);
  return probe;
}

std::string LoadLine(const pb::LoadProbe& probe) {
  if (!probe.busy()) return "";
  return fmt::format(
      "machine busy: load {:.2f} before, {:.2f} after on {} usable core{}, steal {:.1f}%: "
      "figures are slower and noisier than on a quiet machine",
      probe.load_before(), probe.load_after(), probe.usable_cores(),
      probe.usable_cores() == 1 ? "" : "s", 100 * probe.steal_share());
}

}  // namespace parlab
