// Two processes, one segment: the parent (coordinator's role) streams frames
// to a forked child (worker's role) that attaches the segment by name and
// echoes every frame back, with each wait policy. Content and order are
// checked on both sides; the child reports through its exit status.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "shared/shm/layout.h"
#include "shared/shm/ring.h"
#include "shared/shm/segment.h"
#include "shared/shm/wait_policy.h"

namespace parlab {
namespace {

constexpr uint32_t kFrames = 100'000;
// The parent keeps at most this many frames in flight. With frames of at
// most kMaxPayload bytes the response ring always has room for them all, so
// the child never waits on a full response ring while the parent waits on a
// full request ring: no deadlock by construction.
constexpr uint32_t kWindow = 16;
constexpr size_t kMaxPayload = 200;
constexpr uint64_t kRingCapacity = 8192;  // small: frames wrap every ~60
// A dead peer must fail the test, not hang it (ctest's TIMEOUT is the backstop).
constexpr int64_t kTimeoutNs = 20'000'000'000;

// Frame i: its index, then a byte pattern derived from it, of varying length.
size_t FillFrame(uint32_t i, unsigned char* out) {
  const size_t n = sizeof(i) + (i * 37u) % (kMaxPayload - sizeof(i) + 1);
  std::memcpy(out, &i, sizeof(i));
  for (size_t k = sizeof(i); k < n; ++k) out[k] = static_cast<unsigned char>(i + k);
  return n;
}

bool FrameMatches(uint32_t i, const FrameView& frame) {
  unsigned char expected[kMaxPayload];
  const size_t n = FillFrame(i, expected);
  return frame.size == n && std::memcmp(frame.data, expected, n) == 0;
}

// The child: plain loops and exit codes only (no gtest, no exceptions), and
// _exit so that no parent-owned destructor runs here.
[[noreturn]] void EchoChild(const std::string& name, WaitPolicy policy) {
  Result<Segment> segment = Segment::Open(name);
  if (!segment.ok()) _exit(2);
  Result<SegmentView> view = SegmentView::Attach(segment->data(), segment->size());
  if (!view.ok()) _exit(3);
  Result<Ring> requests = view->AttachRequestRing(0);
  Result<Ring> responses = view->AttachResponseRing(0);
  if (!requests.ok() || !responses.ok()) _exit(4);
  for (uint32_t i = 0; i < kFrames; ++i) {
    Result<FrameView> frame = requests->PeekWait(policy, kTimeoutNs);
    if (!frame.ok()) _exit(5);
    if (!FrameMatches(i, *frame)) _exit(6);
    // Echo straight from the request ring into the response ring.
    if (!responses->PushWait(frame->data, frame->size, policy, kTimeoutNs).ok()) _exit(7);
    requests->Consume();
  }
  _exit(0);
}

class RingProcessTest : public ::testing::TestWithParam<WaitPolicy> {};

TEST_P(RingProcessTest, EchoesFramesBothWaysIntact) {
  const WaitPolicy policy = GetParam();
  Result<Layout> layout = PlanLayout({1, kRingCapacity, 0});
  ASSERT_TRUE(layout.ok());
  const std::string name =
      "/parlab-" + std::to_string(getpid()) + "-test-ring-" + WaitPolicyName(policy);
  Result<Segment> segment = Segment::Create(name, layout->header.total_bytes);
  ASSERT_TRUE(segment.ok()) << segment.status().ToString();
  Result<SegmentView> view = SegmentView::Format(segment->data(), segment->size(), *layout);
  ASSERT_TRUE(view.ok()) << view.status().ToString();

  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) EchoChild(name, policy);

  Result<Ring> requests = view->AttachRequestRing(0);
  Result<Ring> responses = view->AttachResponseRing(0);
  ASSERT_TRUE(requests.ok() && responses.ok());
  unsigned char frame[kMaxPayload];
  uint32_t sent = 0;
  uint32_t received = 0;
  Status failure;
  while (received < kFrames && failure.ok()) {
    if (sent < kFrames && sent - received < kWindow) {
      const size_t n = FillFrame(sent, frame);
      failure = requests->PushWait(frame, n, policy, kTimeoutNs);
      if (failure.ok()) ++sent;
    } else {
      Result<FrameView> echo = responses->PeekWait(policy, kTimeoutNs);
      if (!echo.ok()) {
        failure = echo.status();
      } else if (!FrameMatches(received, *echo)) {
        failure = Internal("echo " + std::to_string(received) + " differs");
      } else {
        responses->Consume();
        ++received;
      }
    }
  }
  if (!failure.ok()) {
    view->CloseAllRings();  // releases a child that is still waiting
    kill(child, SIGKILL);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(failure.ok()) << failure.ToString() << " after " << received << " echoes";
  ASSERT_TRUE(WIFEXITED(status)) << "child died of signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << "child exit code (see EchoChild)";
  EXPECT_EQ(received, kFrames);
}

std::string PolicyName(const ::testing::TestParamInfo<WaitPolicy>& param) {
  return WaitPolicyName(param.param);
}

INSTANTIATE_TEST_SUITE_P(Policies, RingProcessTest,
                         ::testing::Values(WaitPolicy::kSpin, WaitPolicy::kBlock,
                                           WaitPolicy::kAdaptive),
                         PolicyName);

}  // namespace
}  // namespace parlab
