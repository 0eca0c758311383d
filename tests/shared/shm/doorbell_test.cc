// The doorbell's promise: a waiter that found no work and sleeps is woken by
// the next Ring(), so a frame is never left unnoticed. Every wait here has no
// time limit, on purpose: in parlab the coordinator never sleeps longer than
// its control poll, so a lost wake-up there only makes a run slower; here it
// hangs, and ctest's TIMEOUT fails the test. The waiters are a thread and a
// forked process (the doorbell's real case: a worker rings, the coordinator
// sleeps), each in a ping-pong of many rounds whose spin before sleeping
// varies, so the rings land at every point of the waiter's Prepare/look/Wait.

#include "shared/shm/doorbell.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <new>
#include <string>
#include <thread>

#include "shared/shm/segment.h"

namespace parlab {
namespace {

// Enough rounds that the two sides meet at every point of the protocol: about
// 1 s in a release build (a round is at most two futex wake-ups), ten times
// that under ThreadSanitizer, inside the TIMEOUT. A missing FutexWake hangs
// the first round that sleeps; a missing fence (the Dekker race) is rarer —
// it hung one run in three of 2,000,000 rounds on the development VM.
constexpr uint32_t kRounds = 100'000;
constexpr int64_t kNoLimit = -1;

// Two one-way channels, each a published round number and the doorbell its
// reader sleeps on. Lives in shared memory: atomics and doorbells only.
struct PingPong {
  Doorbell ping_bell;  // the responder sleeps here
  Doorbell pong_bell;  // the initiator sleeps here
  alignas(64) std::atomic<uint32_t> ping{0};
  alignas(64) std::atomic<uint32_t> pong{0};
};

// The waiter's side of the protocol (doorbell.h): spin a little — `spins`
// varies per round so that the other side's Ring() falls before, during and
// after Prepare() — then Prepare, look, and sleep with no time limit.
void WaitFor(const std::atomic<uint32_t>& word, uint32_t round, Doorbell& bell, uint32_t spins) {
  for (uint32_t i = 0; i < spins; ++i) {
    if (word.load(std::memory_order_acquire) >= round) return;
  }
  for (;;) {
    const uint32_t seen = bell.Prepare();
    if (word.load(std::memory_order_acquire) >= round) {
      bell.Cancel();
      return;
    }
    bell.Wait(seen, kNoLimit);  // a lost wake-up hangs here
  }
}

void Publish(std::atomic<uint32_t>& word, uint32_t round, Doorbell& bell) {
  word.store(round, std::memory_order_release);  // the frame's publication
  bell.Ring();
}

uint32_t Spins(uint32_t round) { return (round * 37u) % 512u; }

// Pings kRounds times, each time sleeping until the pong comes back.
void Initiate(PingPong& game) {
  for (uint32_t round = 1; round <= kRounds; ++round) {
    Publish(game.ping, round, game.ping_bell);
    WaitFor(game.pong, round, game.pong_bell, Spins(round));
  }
}

// Answers every ping with a pong.
void Respond(PingPong& game) {
  for (uint32_t round = 1; round <= kRounds; ++round) {
    WaitFor(game.ping, round, game.ping_bell, Spins(round + 1));
    Publish(game.pong, round, game.pong_bell);
  }
}

TEST(DoorbellTest, RingWithoutASleeperLeavesTheWordAlone) {
  Doorbell bell;
  bell.Ring();
  EXPECT_EQ(bell.seq.load(), 0u);  // no futex word change: the spin path makes no system call
  EXPECT_EQ(bell.sleeping.load(), 0u);
}

TEST(DoorbellTest, ARingAfterPrepareMakesTheWaitReturnAtOnce) {
  // The ring lands between the waiter's look and its sleep: the futex word has
  // moved, so Wait returns instead of sleeping (with no limit, it would hang).
  Doorbell bell;
  const uint32_t seen = bell.Prepare();
  EXPECT_EQ(bell.sleeping.load(), 1u);
  bell.Ring();
  EXPECT_NE(bell.seq.load(), seen);
  bell.Wait(seen, kNoLimit);
  EXPECT_EQ(bell.sleeping.load(), 0u);  // Wait always clears it
}

TEST(DoorbellTest, CancelClearsSleeping) {
  Doorbell bell;
  const uint32_t seen = bell.Prepare();
  bell.Cancel();
  EXPECT_EQ(bell.sleeping.load(), 0u);
  bell.Ring();  // nobody sleeps: no wake-up is owed
  EXPECT_EQ(bell.seq.load(), seen);
}

// Dispatch shards: several coordinator threads may sleep on the one
// doorbell, each for its own workers' rings.
TEST(DoorbellTest, OneWaiterLeavingKeepsTheOthersSleeping) {
  Doorbell bell;
  const uint32_t seen = bell.Prepare();
  bell.Prepare();
  EXPECT_EQ(bell.sleeping.load(), 2u);
  bell.Cancel();  // one found work; the other still sleeps, and is owed a wake-up
  EXPECT_EQ(bell.sleeping.load(), 1u);
  bell.Ring();
  ASSERT_NE(bell.seq.load(), seen);  // else the Wait below would sleep forever
  bell.Wait(seen, kNoLimit);
  EXPECT_EQ(bell.sleeping.load(), 0u);
}

TEST(DoorbellTest, OneRingWakesEverySleeper) {
  Doorbell bell;
  std::atomic<int> woken{0};
  auto sleeper = [&bell, &woken] {
    const uint32_t seen = bell.Prepare();
    bell.Wait(seen, kNoLimit);  // one left asleep hangs here
    woken.fetch_add(1);
  };
  std::thread first(sleeper);
  std::thread second(sleeper);
  while (bell.sleeping.load() != 2) std::this_thread::yield();
  // Both are in their wait, or about to be: either way the ring reaches them.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  bell.Ring();
  first.join();
  second.join();
  EXPECT_EQ(woken.load(), 2);
  EXPECT_EQ(bell.sleeping.load(), 0u);
}

TEST(DoorbellTest, AThreadWaiterIsWokenEveryRound) {
  PingPong game;
  std::thread responder([&game] { Respond(game); });
  Initiate(game);
  responder.join();
  EXPECT_EQ(game.ping.load(), kRounds);
  EXPECT_EQ(game.pong.load(), kRounds);
}

TEST(DoorbellTest, AProcessWaiterIsWokenEveryRound) {
  // The doorbell in a named segment, as in a job: the futex is shared, keyed
  // by the page, so a wake in one process reaches a sleeper in the other.
  const std::string name = "/parlab-" + std::to_string(getpid()) + "-test-doorbell";
  Result<Segment> segment = Segment::Create(name, sizeof(PingPong));
  ASSERT_TRUE(segment.ok()) << segment.status().ToString();
  PingPong* game = new (segment->data()) PingPong();

  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Plain code and _exit only: no gtest, no parent-owned destructor here.
    Respond(*game);
    _exit(game->pong.load() == kRounds ? 0 : 1);
  }
  Initiate(*game);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "responder died of signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << "responder's exit code";
  EXPECT_EQ(game->pong.load(), kRounds);
}

}  // namespace
}  // namespace parlab
