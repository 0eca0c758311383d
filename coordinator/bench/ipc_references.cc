// Raw OS calls outside shared/platform, on purpose: this file measures the
// kernel's primitives themselves (pipe, socketpair, eventfd, futex words,
// spinning on shared memory), so it opens and uses them directly rather than
// through parlab's wrappers, whose cost would be measured with them.
// Starting, pinning and reaping the peer go through shared/platform
// (ChildProcess::Fork, affinity.h). The peer stays a fork without exec: it
// works on the anonymous MAP_SHARED mapping and the descriptors it inherits,
// and an exec'd peer would need a named segment and a command line of its
// own for no change in what a round trip costs.
#include "coordinator/bench/ipc_references.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <new>
#include <optional>
#include <string>
#include <utility>

#include "shared/clock.h"
#include "shared/platform/affinity.h"
#include "shared/platform/child_process.h"
#include "shared/platform/cpu.h"
#include "shared/platform/futex.h"

namespace parlab {
namespace {

enum class Kind { kPipe, kSocketPair, kEventFd, kFutex, kSpin, kStreamedSpin };

// The value that tells the peer to leave (the words count round trips from 1).
constexpr uint32_t kStopWord = UINT32_MAX;
constexpr uint64_t kStopCount = 2;  // eventfd: a ping adds 1, the stop 2
// How long a blocked wait lasts before it checks that the peer is alive.
constexpr int64_t kAliveCheckNs = 100'000'000;

// In a MAP_SHARED mapping; each word on its own cache line, so the two
// directions do not share one.
struct SharedWords {
  alignas(64) std::atomic<uint32_t> ping{0};
  alignas(64) std::atomic<uint32_t> pong{0};
  std::atomic<int64_t> streamed_ns{0};  // kStreamedSpin: the last pong's streaming, on its line
};

// Descriptors and words of one primitive; the parent and the child each use
// their own side. fd[0..1]: parent → child (child reads fd[0], parent writes
// fd[1]); fd[2..3]: child → parent (parent reads fd[2], child writes fd[3]).
struct Link {
  Kind kind = Kind::kPipe;
  int fd[4] = {-1, -1, -1, -1};
  SharedWords* words = nullptr;
  // kStreamedSpin: what the peer streams between ping and pong, mapped before
  // the fork (the peer must not allocate).
  const double* stream = nullptr;
  size_t stream_doubles = 0;
};

volatile sig_atomic_t peer_exited = 0;
void OnChild(int) { peer_exited = 1; }

// ---- the child: async-signal-safe only, then _exit ----

bool ReadByte(int fd, void* byte, size_t size) {
  for (;;) {
    const ssize_t n = read(fd, byte, size);
    if (n == static_cast<ssize_t>(size)) return true;
    if (n < 0 && errno == EINTR) continue;
    return false;  // end of stream (the parent closed it: stop) or an error
  }
}

// Closes the descriptors the other side uses, so that each side sees end of
// stream when the other closes its own (a copy inherited through fork would
// keep a pipe open). eventfds have no end of stream: both sides keep both.
void KeepOwnSide(Link& link, bool child) {
  if (link.kind == Kind::kEventFd) return;
  int* const other[2] = {child ? &link.fd[1] : &link.fd[0], child ? &link.fd[2] : &link.fd[3]};
  const int first = *other[0];
  for (int* fd : other) {
    if (*fd >= 0 && (fd == other[0] || *fd != first)) close(*fd);
    *fd = -1;
  }
}

// Sums the stream as a kernel reads its input (four sums: the adds do not
// wait on each other, so memory sets the pace). Positive: the stream is 1.0s.
double Stream(const double* stream, size_t doubles) {
  double sums[4] = {0, 0, 0, 0};
  size_t k = 0;
  for (; k + 4 <= doubles; k += 4) {
    for (int j = 0; j < 4; ++j) sums[j] += stream[k + static_cast<size_t>(j)];
  }
  for (; k < doubles; ++k) sums[0] += stream[k];
  return 1 + sums[0] + sums[1] + sums[2] + sums[3];
}

[[noreturn]] void RunPeer(Link link) {
  KeepOwnSide(link, /*child=*/true);
  char byte = 0;
  uint64_t count = 0;
  SharedWords* words = link.words;
  switch (link.kind) {
    case Kind::kPipe:
    case Kind::kSocketPair:
      while (ReadByte(link.fd[0], &byte, 1)) {
        if (write(link.fd[3], &byte, 1) != 1) _exit(1);
      }
      _exit(0);
    case Kind::kEventFd:
      for (;;) {
        if (!ReadByte(link.fd[0], &count, sizeof(count))) _exit(1);
        if (count >= kStopCount) _exit(0);
        if (write(link.fd[3], &count, sizeof(count)) != sizeof(count)) _exit(1);
      }
    case Kind::kFutex:
      for (uint32_t i = 1;; ++i) {
        uint32_t seen = words->ping.load(std::memory_order_acquire);
        while (seen == i - 1) {
          FutexWait(&words->ping, i - 1, -1);
          seen = words->ping.load(std::memory_order_acquire);
        }
        if (seen == kStopWord) _exit(0);
        words->pong.store(i, std::memory_order_release);  // pairs with the parent's acquire
        FutexWake(&words->pong, 1);
      }
    case Kind::kSpin:
    case Kind::kStreamedSpin:
      for (uint32_t i = 1;; ++i) {
        uint32_t seen = 0;
        while ((seen = words->ping.load(std::memory_order_acquire)) == i - 1) CpuRelax();
        if (seen == kStopWord) _exit(0);
        if (link.kind == Kind::kStreamedSpin) {
          const int64_t start_ns = NowNs();  // the clock was chosen before the fork
          words->streamed_ns.store(
              Stream(link.stream, link.stream_doubles) > 0 ? NowNs() - start_ns : 0,
              std::memory_order_relaxed);
        }
        words->pong.store(i, std::memory_order_release);  // publishes streamed_ns too
      }
  }
  _exit(1);
}

// ---- the parent ----

// Reaps the peer once SIGCHLD said it ended; its status stays with `peer`.
bool PeerGone(ChildProcess& peer) { return peer_exited != 0 && peer.TryReap().has_value(); }

// One round trip; false when the peer went away.
bool Ping(const Link& link, uint32_t i, ChildProcess& peer) {
  char byte = 1;
  uint64_t count = 1;
  SharedWords* words = link.words;
  switch (link.kind) {
    case Kind::kPipe:
    case Kind::kSocketPair:
      return write(link.fd[1], &byte, 1) == 1 && ReadByte(link.fd[2], &byte, 1);
    case Kind::kEventFd:
      if (write(link.fd[1], &count, sizeof(count)) != sizeof(count)) return false;
      // A peer that dies interrupts the read (SIGCHLD, installed without SA_RESTART).
      for (;;) {
        if (read(link.fd[2], &count, sizeof(count)) == sizeof(count)) return true;
        if (errno != EINTR || PeerGone(peer)) return false;
      }
    case Kind::kFutex:
      words->ping.store(i, std::memory_order_release);  // pairs with the child's acquire
      FutexWake(&words->ping, 1);
      while (words->pong.load(std::memory_order_acquire) != i) {
        if (FutexWait(&words->pong, i - 1, kAliveCheckNs) == FutexWaitResult::kTimedOut &&
            PeerGone(peer)) {
          return false;
        }
      }
      return true;
    case Kind::kSpin:
    case Kind::kStreamedSpin:
      words->ping.store(i, std::memory_order_release);  // pairs with the child's acquire
      for (uint32_t spins = 1; words->pong.load(std::memory_order_acquire) != i; ++spins) {
        CpuRelax();
        if (spins % (1u << 20) == 0 && PeerGone(peer)) return false;
      }
      return true;
  }
  return false;
}

void TellPeerToStop(Link& link) {
  const uint64_t stop = kStopCount;
  switch (link.kind) {
    case Kind::kPipe:
    case Kind::kSocketPair:
      close(link.fd[1]);  // end of stream
      link.fd[1] = -1;
      break;
    case Kind::kEventFd:
      (void)!write(link.fd[1], &stop, sizeof(stop));
      break;
    case Kind::kFutex:
    case Kind::kSpin:
    case Kind::kStreamedSpin:
      link.words->ping.store(kStopWord, std::memory_order_release);
      FutexWake(&link.words->ping, 1);
      break;
  }
}

void CloseLink(const Link& link) {
  int closed[4];
  int count = 0;
  for (int fd : link.fd) {
    bool seen = fd < 0;
    for (int k = 0; k < count && !seen; ++k) seen = closed[k] == fd;
    if (seen) continue;
    close(fd);
    closed[count++] = fd;
  }
}

Result<Link> OpenLink(Kind kind, SharedWords* words) {
  Link link;
  link.kind = kind;
  link.words = words;
  int a[2] = {-1, -1};
  int b[2] = {-1, -1};
  bool ok = true;
  switch (kind) {
    case Kind::kPipe:
      ok = pipe2(a, O_CLOEXEC) == 0 && pipe2(b, O_CLOEXEC) == 0;
      link = {kind, {a[0], a[1], b[0], b[1]}, words};
      break;
    case Kind::kSocketPair:
      ok = socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, a) == 0;
      link = {kind, {a[1], a[0], a[0], a[1]}, words};  // one socket each, both ways
      break;
    case Kind::kEventFd:
      a[0] = eventfd(0, EFD_CLOEXEC);
      b[0] = eventfd(0, EFD_CLOEXEC);
      ok = a[0] >= 0 && b[0] >= 0;
      link = {kind, {a[0], a[0], b[0], b[0]}, words};
      break;
    case Kind::kFutex:
    case Kind::kSpin:
    case Kind::kStreamedSpin:
      words->ping.store(0);
      words->pong.store(0);
      break;
  }
  if (!ok) {
    CloseLink(link);
    return Internal(std::string("cannot open the reference's descriptors: ") +
                    std::strerror(errno));
  }
  return link;
}

// `stream`: what a kStreamedSpin peer streams (its doubles), else empty.
Result<std::vector<double>> MeasureOne(Kind kind, SharedWords* words,
                                       const IpcReferenceOptions& options,
                                       std::optional<int> peer_cpu,
                                       std::pair<const double*, size_t> stream = {}) {
  PARLAB_ASSIGN_OR_RETURN(Link opened, OpenLink(kind, words));
  Link link = opened;
  link.stream = stream.first;
  link.stream_doubles = stream.second;
  std::vector<double> samples;
  samples.reserve(static_cast<size_t>(options.max_round_trips));
  peer_exited = 0;
  Result<ChildProcess> forked = ChildProcess::Fork([&]() -> int {
    // PinToCpu does not allocate when it succeeds; a failure only loses the pin.
    if (peer_cpu) static_cast<void>(PinToCpu(*peer_cpu));
    RunPeer(link);
  });
  if (!forked.ok()) {
    CloseLink(link);
    return forked.status();
  }
  ChildProcess& peer = *forked;
  KeepOwnSide(link, /*child=*/false);
  // Both the warmup and the measurement stop at their share of the time: on
  // a loaded machine a spinning round trip waits for the peer's next time
  // slice (tens of ms), and a fixed count would take minutes.
  const auto budget_ns = static_cast<int64_t>(options.max_seconds * 1e9);
  const int64_t warmup_end_ns = NowNs() + budget_ns / 5;
  const int64_t deadline_ns = NowNs() + budget_ns;
  bool alive = true;
  bool warm = false;
  int warmed = 0;
  for (uint32_t i = 1; alive && samples.size() < samples.capacity(); ++i) {
    const int64_t start_ns = NowNs();
    alive = Ping(link, i, peer);
    const int64_t end_ns = NowNs();
    if (warm) {
      const int64_t streamed_ns =
          kind == Kind::kStreamedSpin ? words->streamed_ns.load(std::memory_order_relaxed) : 0;
      samples.push_back(static_cast<double>(end_ns - start_ns - streamed_ns));
      if (end_ns > deadline_ns) break;
    } else {
      warm = ++warmed >= options.warmup_round_trips || end_ns > warmup_end_ns;
    }
  }
  if (alive) TellPeerToStop(link);
  // The peer leaves at once; one that does not within a second is killed.
  const ExitStatus status = peer.WaitOrKill(/*timeout_ms=*/1000);
  CloseLink(link);
  if (!alive || !status.success()) {
    return Internal("the reference's peer process failed (" + status.ToString() + ")");
  }
  return samples;
}

// The streamed spin reference for `bytes`: the stream mapped and written
// here (its pages present, so the peer's first pass faults nothing) and
// shared with the peer through the fork.
Result<std::vector<double>> MeasureStreamedSpin(uint64_t bytes, SharedWords* words,
                                                const IpcReferenceOptions& options,
                                                std::optional<int> peer_cpu) {
  const size_t doubles = std::max<size_t>(1, bytes / sizeof(double));
  const size_t mapped = doubles * sizeof(double);
  void* stream = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (stream == MAP_FAILED) return Internal(std::string("mmap: ") + std::strerror(errno));
  std::fill_n(static_cast<double*>(stream), doubles, 1.0);
  Result<std::vector<double>> samples = MeasureOne(Kind::kStreamedSpin, words, options, peer_cpu,
                                                   {static_cast<const double*>(stream), doubles});
  munmap(stream, mapped);
  return samples;
}

}  // namespace

int ProcessThreads() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::atoi(line.c_str() + 8);
  }
  return 0;
}

Result<IpcReferences> MeasureIpcReferences(const IpcReferenceOptions& options) {
  static_cast<void>(
      NowNs());  // the stamp clock chosen before any fork: the streaming peer reads it
  IpcReferences out;
  out.threads = ProcessThreads();
  void* mapping =
      mmap(nullptr, sizeof(SharedWords), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mapping == MAP_FAILED) return Internal(std::string("mmap: ") + std::strerror(errno));
  auto* words = new (mapping) SharedWords();

  // The mask before pinning, to restore after.
  const Result<std::vector<int>> original = AllowedCpus();
  std::optional<int> peer_cpu;
  if (original.ok() && original->size() >= 2 && PinToCpu((*original)[0]).ok()) {
    out.cpus = {(*original)[0], (*original)[1]};
    peer_cpu = (*original)[1];
  }
  // SIGCHLD without SA_RESTART: a peer that dies interrupts a blocked read.
  struct sigaction action {};
  struct sigaction previous {};
  action.sa_handler = OnChild;
  sigemptyset(&action.sa_mask);
  sigaction(SIGCHLD, &action, &previous);
  // A peer that died must not kill us through a write to its pipe or socket.
  struct sigaction ignore {};
  struct sigaction previous_pipe {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGPIPE, &ignore, &previous_pipe);

  const struct {
    Kind kind;
    const char* name;
    const char* what;
  } kinds[] = {
      {Kind::kPipe, "pipe", "1 byte each way over two pipes"},
      {Kind::kSocketPair, "socketpair", "1 byte each way over a Unix stream socket pair"},
      {Kind::kEventFd, "eventfd", "an 8-byte count each way over two eventfds"},
      {Kind::kFutex, "futex", "a shared word each way, FUTEX_WAKE + FUTEX_WAIT"},
      {Kind::kSpin, "spin", "a shared word each way, busy-waiting with CpuRelax"},
  };
  Status failure;
  for (const auto& k : kinds) {
    Result<std::vector<double>> samples = MeasureOne(k.kind, words, options, peer_cpu);
    if (!samples.ok()) {
      failure = Internal(std::string(k.name) + ": " + samples.status().message());
      break;
    }
    out.references.push_back({k.name, k.what, std::move(samples).value()});
  }
  for (size_t i = 0; failure.ok() && i < options.streamed_bytes.size(); ++i) {
    const uint64_t bytes = options.streamed_bytes[i];
    Result<std::vector<double>> samples = MeasureStreamedSpin(bytes, words, options, peer_cpu);
    if (!samples.ok()) {
      failure = Internal("spin after streaming " + std::to_string(bytes) +
                         " bytes: " + samples.status().message());
      break;
    }
    out.streamed.push_back({bytes, std::move(samples).value()});
  }

  sigaction(SIGPIPE, &previous_pipe, nullptr);
  sigaction(SIGCHLD, &previous, nullptr);
  if (!out.cpus.empty()) static_cast<void>(SetAllowedCpus(*original));
  munmap(mapping, sizeof(SharedWords));
  if (!failure.ok()) return failure;
  return out;
}

}  // namespace parlab
