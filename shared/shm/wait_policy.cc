#include "shared/shm/wait_policy.h"

#include <string>

namespace parlab {

const char* WaitPolicyName(WaitPolicy policy) {
  switch (policy) {
    case WaitPolicy::kSpin:
      return "spin";
    case WaitPolicy::kBlock:
      return "block";
    case WaitPolicy::kAdaptive:
      return "adaptive";
  }
  return "unknown";
}

Result<WaitPolicy> ParseWaitPolicy(std::string_view name) {
  for (const WaitPolicy policy : {WaitPolicy::kSpin, WaitPolicy::kBlock, WaitPolicy::kAdaptive}) {
    if (name == WaitPolicyName(policy)) return policy;
  }
  return InvalidArgument("--wait must be spin, block or adaptive, got '" + std::string(name) + "'");
}

WaitPolicy FromProto(pb::WaitPolicy wait) {
  switch (wait) {
    case pb::SPIN:
      return WaitPolicy::kSpin;
    case pb::BLOCK:
      return WaitPolicy::kBlock;
    default:
      return WaitPolicy::kAdaptive;
  }
}

pb::WaitPolicy ToProto(WaitPolicy wait) {
  switch (wait) {
    case WaitPolicy::kSpin:
      return pb::SPIN;
    case WaitPolicy::kBlock:
      return pb::BLOCK;
    case WaitPolicy::kAdaptive:
      break;
  }
  return pb::ADAPTIVE;
}

}  // namespace parlab
