#include "coordinator/runtime/failure_policy.h"

#include <charconv>

namespace parlab {
namespace {

struct NamedAction {
  const char* name;
  pb::FaultAction action;
};

constexpr NamedAction kActions[] = {
    {"abort", pb::FAULT_ABORT},     {"kill", pb::FAULT_KILL}, {"segv", pb::FAULT_SEGV},
    {"exit", pb::FAULT_EXIT},       {"hang", pb::FAULT_HANG}, {"stop", pb::FAULT_STOP},
    {"corrupt", pb::FAULT_CORRUPT},
};

}  // namespace

const char* FaultActionName(pb::FaultAction action) {
  for (const NamedAction& named : kActions) {
    if (named.action == action) return named.name;
  }
  return "none";
}

Result<pb::FaultInjection> ParseFault(std::string_view text) {
  const std::string usage =
      "--inject-fault wants TASK:ACTION (ACTION one of abort, kill, segv, "
      "exit, hang, stop, corrupt), got '" +
      std::string(text) + "'";
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) return InvalidArgument(usage);
  int64_t task = -1;
  const std::string_view number = text.substr(0, colon);
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), task);
  if (error != std::errc() || end != number.data() + number.size() || task < 0) {
    return InvalidArgument(usage);
  }
  const std::string_view name = text.substr(colon + 1);
  for (const NamedAction& named : kActions) {
    if (name == named.name) {
      pb::FaultInjection fault;
      fault.set_task(task);
      fault.set_action(named.action);
      return fault;
    }
  }
  return InvalidArgument(usage);
}

Status ValidateFailurePolicy(const pb::JobSpec& job) {
  if (job.max_attempts() < 1 || job.max_attempts() > 100) {
    return InvalidArgument("max-attempts must be 1..100, got " +
                           std::to_string(job.max_attempts()));
  }
  if (job.task_timeout_ms() < 0) {
    return InvalidArgument("task-timeout must be >= 0 ms (0: none), got " +
                           std::to_string(job.task_timeout_ms()));
  }
  if (job.heartbeat_timeout_ms() != 0 && job.heartbeat_timeout_ms() < kMinHeartbeatTimeoutMs) {
    return InvalidArgument(
        "heartbeat-timeout must be 0 (none) or >= " + std::to_string(kMinHeartbeatTimeoutMs) +
        " ms, got " + std::to_string(job.heartbeat_timeout_ms()));
  }
  if (!job.has_fault()) return Status::Ok();
  const bool in_workers = job.mode() == pb::PROCS || job.mode() == pb::HYBRID;
  if (!in_workers) {
    return InvalidArgument(
        "--inject-fault needs worker processes that can be replaced: --mode procs or hybrid "
        "(in this process the fault would end parlab itself)");
  }
  if (job.fault().task() >= job.tasks()) {
    return InvalidArgument("--inject-fault task " + std::to_string(job.fault().task()) +
                           " is not below the " + std::to_string(job.tasks()) +
                           " tasks of a trial");
  }
  return Status::Ok();
}

}  // namespace parlab
