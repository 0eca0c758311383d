#include "coordinator/runtime/mpi_transport.h"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <iterator>
#include <thread>
#include <utility>

#include "coordinator/runtime/segment_size.h"
#include "shared/clock.h"
#include "shared/mpi/mpi_clock.h"
#include "shared/mpi/mpi_world.h"
#include "shared/platform/process_list.h"
#include "shared/shm/arena.h"
#include "shared/shm/wait_policy.h"
#include "shared/wire.h"

namespace parlab {
namespace {

// Ping exchanges per clock estimate: the shortest of 32 round trips is close
// to the path's floor on an idle link, and 32 cost well under a millisecond.
constexpr int kClockExchanges = 32;
constexpr int64_t kClockTimeoutNs = 1'000'000'000;
// After SIGTERM: how long a rank has to answer the ping that shows it alive.
// mpirun sends SIGKILL about a second after SIGTERM.
constexpr int64_t kAliveTimeoutNs = 300'000'000;
// How often the coordinator looks whether a rank on its host has died, and
// how many polls go between looks at the clock for it: a clock read costs
// ~35 ns here (2-vCPU EPYC VM), and a poll that reads it on every round was
// half clock reads (perf), each delaying the look at the answers.
constexpr int64_t kWatchNs = 20'000'000;
constexpr uint32_t kPollsPerWatchCheck = 1024;
// Looks for answers per Collect when none is found: ~1 µs in all.
constexpr int kLooksPerCollect = 16;
// adaptive: how long an idle coordinator spins before it sleeps between looks.
constexpr int64_t kSpinNs = 50'000;
constexpr int64_t kMaxSleepNs = 500'000;
constexpr int64_t kStopTimeoutNs = 2'000'000'000;
constexpr int kMaxMessageBytes = 64 << 20;
// The longest frame sent with MPI_Send (Publish): under the eager limit of
// every transport Open MPI 4.1 picks here — vader's btl_vader_eager_limit is
// 4 KiB with ob1's 14-byte match header, tcp's 64 KiB — so that such a send
// never waits for the worker to post its receive (a rendezvous would, for as
// long as its task runs). A task frame of up to ~70 tasks fits.
constexpr size_t kEagerFrameBytes = 4096 - 64;

uint64_t AlignUp(uint64_t bytes) {
  return (bytes + kArenaAlignment - 1) / kArenaAlignment * kArenaAlignment;
}

std::string Mib(uint64_t bytes) { return std::to_string((bytes + (1u << 19)) >> 20) + " MiB"; }

}  // namespace

MpiTransport::MpiTransport(const pb::JobSpec& job) : job_(job), chunk_(ChunkFor(job)) {}

MpiTransport::~MpiTransport() { Stop(); }

std::string MpiTransport::Who(int worker) const {
  const pb::WorkerPlace& place = places_[static_cast<size_t>(worker)];
  return "rank " + std::to_string(place.rank()) + " on host " + place.host() + " (pid " +
         std::to_string(place.pid()) + ")";
}

std::string MpiTransport::DeathOf(int worker) const {
  std::string message = Who(worker) + " died";
  if (std::optional<RunningTask> running =
          sink_ != nullptr ? sink_->RunningTaskOf(worker) : std::nullopt) {
    message += " while running task " + std::to_string(running->id);
  }
  return message +
         "; MPI cannot replace a rank, so the job ends here (the log keeps the trials "
         "that finished)";
}

Status MpiTransport::Fail(Status why) {
  failed_ = true;
  if (Result<MpiWorld*> world = MpiWorld::Get(); world.ok()) (*world)->MarkBroken();
  return why;
}

Status MpiTransport::Start(const Workload& workload, WorkerPool& /*pool*/, AnswerSink& sink) {
  // Whatever goes wrong here, the ranks wait for a job that will not come:
  // the session must end with MPI_Abort, not wait for them in MPI_Finalize.
  if (Status started = StartRanks(workload, sink); !started.ok()) return Fail(started);
  return Status::Ok();
}

Status MpiTransport::StartRanks(const Workload& workload, AnswerSink& sink) {
  // The pool starts nothing: mpirun started the ranks.
  sink_ = &sink;
  PARLAB_ASSIGN_OR_RETURN(MpiWorld * world, MpiWorld::Get());
  if (world->rank() != 0) {
    return FailedPrecondition("the mpi transport's coordinator must be rank 0, this is rank " +
                              std::to_string(world->rank()));
  }
  if (job_.workers() > world->size() - 1) {
    return InvalidArgument("--workers is " + std::to_string(job_.workers()) +
                           " but mpirun started " + std::to_string(world->size()) +
                           " rank(s), so at most " + std::to_string(world->size() - 1) +
                           " worker(s): rank 0 coordinates, the others work");
  }
  host_ = world->host();
  input_bytes_ = workload.input_bytes;
  output_bytes_ = workload.output_bytes;
  if (input_bytes_ > static_cast<uint64_t>(kMaxMessageBytes) ||
      output_bytes_ > static_cast<uint64_t>(kMaxMessageBytes)) {
    return InvalidArgument("--transport mpi sends at most " +
                           Mib(static_cast<uint64_t>(kMaxMessageBytes)) +
                           " per message; this job needs " + Mib(input_bytes_) + " in and " +
                           Mib(output_bytes_) + " out");
  }
  input_ = AlignedBuffer(input_bytes_);
  workload.kernel->FillInput(job_.kernel(), input_.mutable_bytes());
  output_ = AlignedBuffer(output_bytes_);
  ranks_.resize(static_cast<size_t>(job_.workers()));
  started_ = true;
  // Every rank says hello once, to the first job; a job of fewer workers
  // than ranks (a sweep's) uses ranks 1..W, the others wait.
  if (world->peers().empty()) {
    PARLAB_ASSIGN_OR_RETURN(std::vector<pb::WorkerPlace> peers, TakeHellos(world->size() - 1));
    world->SetPeers(std::move(peers));
  }
  places_.assign(world->peers().begin(), world->peers().begin() + job_.workers());
  for (size_t w = 0; w < places_.size(); ++w) {
    const bool same_node = world->SharesNode(places_[w].rank());
    ranks_[w].same_node = same_node;
    ranks_[w].local = same_node || places_[w].host() == host_;
    ranks_[w].shm = job_.mpi_shm() && same_node;
    places_[w].set_path(ranks_[w].shm ? "shm" : "mpi");
  }
  for (int w = 0; w < job_.workers(); ++w) {
    Rank& rank = ranks_[static_cast<size_t>(w)];
    rank.who = Who(w);
    PARLAB_ASSIGN_OR_RETURN(pb::ClockEstimate clock,
                            MeasureClock(w + 1, kClockExchanges, kClockTimeoutNs));
    *places_[static_cast<size_t>(w)].mutable_clock_before() = clock;
    // On our node the rank reads our CLOCK_MONOTONIC (one kernel): an
    // estimate that cannot tell its offset from 0 is 0, exactly, where
    // moving the stamps by it would only add its error (tens of µs when a
    // busy machine delays every ping) to the phases.
    const bool holds_zero = std::abs(clock.offset_ns()) <= clock.bound_ns();
    rank.shift_ns = rank.same_node && holds_zero ? 0 : clock.offset_ns();
  }
  // The answers' receives, posted before the first frame leaves; the input
  // leaves after each rank's job constants (Publish).
  posted_.assign(ranks_.size(), MPI_REQUEST_NULL);
  done_.resize(ranks_.size());
  done_status_.resize(ranks_.size());
  // A shm-path rank gets one too: it sends on MPI only to say why it failed.
  for (size_t w = 0; w < ranks_.size(); ++w) {
    ranks_[w].inbox.emplace(static_cast<int>(w) + 1);
    PARLAB_RETURN_IF_ERROR(ranks_[w].inbox->Post(posted_[w]));
  }
  return Status::Ok();
}

Result<std::vector<pb::WorkerPlace>> MpiTransport::TakeHellos(int ranks) {
  const int64_t deadline_ns = NowNs() + int64_t{kWorkerStartTimeoutMs} * 1'000'000;
  std::vector<pb::WorkerPlace> places(static_cast<size_t>(ranks));
  int said = 0;
  while (said < ranks) {
    int found = 0;
    MPI_Status probed;
    if (int rc = MPI_Iprobe(MPI_ANY_SOURCE, kMpiTagFrame, MPI_COMM_WORLD, &found, &probed);
        rc != MPI_SUCCESS) {
      return MpiError("waiting for the ranks' hello", rc);
    }
    if (!found) {
      if (NowNs() > deadline_ns) {
        std::string missing;
        for (int w = 0; w < ranks; ++w) {
          if (places[static_cast<size_t>(w)].rank() == 0) {
            missing += (missing.empty() ? "" : ", ") + std::to_string(w + 1);
          }
        }
        return DeadlineExceeded("rank(s) " + missing + " did not say hello within " +
                                std::to_string(kWorkerStartTimeoutMs / 1000) +
                                " s: are they `parlab run ... --transport mpi` too?");
      }
      std::this_thread::sleep_for(std::chrono::microseconds(100));
      continue;
    }
    const int source = probed.MPI_SOURCE;
    int bytes = 0;
    MPI_Get_count(&probed, MPI_BYTE, &bytes);
    body_.resize(static_cast<size_t>(std::clamp(bytes, 0, kMaxMessageBytes)));
    if (int rc = MPI_Recv(body_.data(), static_cast<int>(body_.size()), MPI_BYTE, source,
                          kMpiTagFrame, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        rc != MPI_SUCCESS) {
      return MpiError("hello from rank " + std::to_string(source), rc);
    }
    const std::string who = "rank " + std::to_string(source);
    PARLAB_RETURN_IF_ERROR(ParseFrame(body_.data(), body_.size(), who, answer_));
    if (answer_.has_error()) return FailedPrecondition(who + ": " + answer_.error().message());
    if (!answer_.has_hello() || source < 1 || source > ranks ||
        places[static_cast<size_t>(source - 1)].rank() != 0) {
      return Internal(who + " sent something else than one hello first");
    }
    pb::WorkerPlace& place = places[static_cast<size_t>(source - 1)];
    place.set_worker(source - 1);
    place.set_rank(source);
    place.set_host(answer_.hello().host());
    place.set_pid(answer_.hello().pid());
    place.set_path("mpi");
    place.set_stamp_clock(answer_.hello().stamp_clock());
    ++said;
  }
  return places;
}

void MpiTransport::DescribePayload(int /*worker*/, pb::Payload& payload) const {
  // The input is already at the worker, at the start of its buffer; the
  // output comes back after the frame.
  payload.set_input_offset(0);
  payload.set_input_bytes(input_bytes_);
  payload.set_output_offset(AlignUp(input_bytes_));
  payload.set_output_bytes(output_bytes_);
}

Status MpiTransport::Encode(int /*worker*/, const pb::Frame& frame) {
  staged_ = writer_.Write(frame);
  staged_constants_ = frame.has_constants();
  return Status::Ok();
}

Status MpiTransport::Publish(int worker) {
  Rank& rank = ranks_[static_cast<size_t>(worker)];
  const size_t frame_bytes = staged_.size();
  if (frame_bytes <= kEagerFrameBytes) {
    // Under the eager limit MPI_Send returns once MPI holds the bytes,
    // without waiting for the worker to match them, and leaves no request to
    // test later: a noop round trip's Isend and two MPI_Tests become one
    // call. It cannot hang on a busy worker: the credits bound this rank's
    // frames in flight to --inflight, small ones, which MPI's eager buffers
    // (vader's fragments, a socket's buffer) hold; were those full, MPI_Send
    // would wait only for the worker's next MPI call (its answer, eager too)
    // to drain them, never for a receive it has yet to post.
    if (Status sent = SendFrame(worker + 1, staged_); !sent.ok()) {
      return Fail(Unavailable(rank.who + ": " + sent.message()));
    }
  } else {
    Send& send = NewSend(rank);
    send.bytes.assign(staged_);  // kept until the send completes: writer_ is reused
    if (Status sent = IsendFrame(worker + 1, send.bytes, send.request, send.announce); !sent.ok()) {
      DropLastSend(rank);
      return Fail(Unavailable(rank.who + ": " + sent.message()));
    }
  }
  bytes_sent_ += frame_bytes;
  ++frames_sent_;
  if (staged_constants_ && !rank.shm) {
    // The input goes right after the constants that describe it: the worker
    // takes it then, while it has no receive posted that could take it
    // instead (mpi_worker.cc). A shm-path rank's is in the segment.
    Send& input = NewSend(rank);
    if (int rc = MPI_Isend(input_.data(), static_cast<int>(input_bytes_), MPI_BYTE, worker + 1,
                           kMpiTagInput, MPI_COMM_WORLD, &input.request);
        rc != MPI_SUCCESS) {
      DropLastSend(rank);
      return Fail(MpiError("sending the input to " + rank.who, rc));
    }
    bytes_sent_ += input_bytes_;
  }
  return Status::Ok();
}

MpiTransport::Send& MpiTransport::NewSend(Rank& rank) {
  if (idle_sends_.empty()) idle_sends_.emplace_back();
  rank.sends.splice(rank.sends.end(), idle_sends_, idle_sends_.begin());
  Send& send = rank.sends.back();
  send.request = MPI_REQUEST_NULL;
  send.announce = MPI_REQUEST_NULL;
  return send;
}

void MpiTransport::DropLastSend(Rank& rank) {
  idle_sends_.splice(idle_sends_.begin(), rank.sends, std::prev(rank.sends.end()));
}

Status MpiTransport::TestSends() {
  for (size_t w = 0; w < ranks_.size(); ++w) {
    std::list<Send>& sends = ranks_[w].sends;
    while (!sends.empty()) {
      Send& oldest = sends.front();
      int done = 0;
      // The announcement, when there is one, went first: test the frame after it.
      for (MPI_Request* request : {&oldest.announce, &oldest.request}) {
        if (int rc = MPI_Test(request, &done, MPI_STATUS_IGNORE); rc != MPI_SUCCESS) {
          return MpiError("sending a frame to " + ranks_[w].who, rc);
        }
        if (!done) break;
      }
      if (!done) break;
      idle_sends_.splice(idle_sends_.begin(), sends, sends.begin());
    }
  }
  return Status::Ok();
}

std::string MpiTransport::FindLocalDeath() const {
  for (size_t w = 0; w < ranks_.size(); ++w) {
    if (!ranks_[w].local) continue;
    if (!ProcessRunning(static_cast<pid_t>(places_[w].pid()))) return DeathOf(static_cast<int>(w));
  }
  return "";
}

Status MpiTransport::Receive(int worker, int tag, void* into, int bytes) {
  MPI_Request request;
  if (int rc = MPI_Irecv(into, bytes, MPI_BYTE, worker + 1, tag, MPI_COMM_WORLD, &request);
      rc != MPI_SUCCESS) {
    return MpiError("receiving from " + Who(worker), rc);
  }
  // Not MPI_Recv: a rank that dies between its frame and its output would
  // hold us there for good, past mpirun's SIGTERM and into its SIGKILL.
  int64_t watched_ns = NowNs();
  for (int done = 0; !done;) {
    if (int rc = MPI_Test(&request, &done, MPI_STATUS_IGNORE); rc != MPI_SUCCESS) {
      return MpiError("receiving from " + Who(worker), rc);
    }
    if (!done && NowNs() - watched_ns > kWatchNs) {
      watched_ns = NowNs();
      if (std::string death = FindLocalDeath(); !death.empty()) return Unavailable(death);
    }
  }
  return Status::Ok();
}

Status MpiTransport::WatchLocalRanks() {
  const int64_t now_ns = NowNs();
  if (now_ns - last_watch_ns_ <= kWatchNs) return Status::Ok();
  last_watch_ns_ = now_ns;
  if (std::string death = FindLocalDeath(); !death.empty()) return Unavailable(death);
  return Status::Ok();
}

Status MpiTransport::TakeAnswer(int worker, const MPI_Status& status, int64_t found_ns) {
  Rank& rank = ranks_[static_cast<size_t>(worker)];
  const std::string& who = rank.who;
  PARLAB_ASSIGN_OR_RETURN(std::string_view frame,
                          rank.inbox->Take(status, [this] { return WatchLocalRanks(); }));
  const size_t bytes = frame.size();
  // Taken off the channel when the poll found it, before it is parsed, as
  // the shm transport stamps a frame it pops off a ring: the parse is the
  // coordinator's own work after the result came, not part of the trip. A
  // large frame came whole only now.
  int64_t dequeued_ns = rank.inbox->InPostedReceive(frame) ? found_ns : NowNs();
  // FrameParser, not a plain reused pb::Frame: that frees and allocates its
  // oneof body on every parse (shared/wire.h).
  Result<const pb::Frame*> parsed_frame = parser_.Parse(frame.data(), frame.size(), who);
  Status parsed = parsed_frame.status();
  if (parsed.ok() && (*parsed_frame)->has_error()) {
    return FailedPrecondition(who + " failed: " + (*parsed_frame)->error().message());
  }
  if (parsed.ok() && !(*parsed_frame)->has_result_frame()) {
    parsed = Internal(who + " sent a frame that is not a result frame");
  }
  // Its output follows whatever the frame was: take it, so nothing is left
  // half-read, then judge the frame. A result with output is taken when its
  // output is here too.
  if (output_bytes_ > 0) {
    PARLAB_RETURN_IF_ERROR(
        Receive(worker, kMpiTagOutput, output_.data(), static_cast<int>(output_bytes_)));
    dequeued_ns = NowNs();
  }
  ++events_;
  bytes_received_ += bytes + output_bytes_;
  if (!parsed.ok()) {
    return Internal(who + ": " + parsed.message() +
                    "; MPI cannot replace a rank, so the job ends here");
  }
  // The worker's stamps, moved to this process's clock: worker − offset.
  // Only the frame's dequeue is a stamp; the rest are ns after it
  // (shared/task_frame.h). In place, not in a copy: the parser hands its
  // frame out read-only, but the frame is a non-const message on its arena,
  // and this transport is its one user until the next Parse clears it.
  const pb::ResultFrame& answers = (*parsed_frame)->result_frame();
  if (const int64_t offset_ns = rank.shift_ns; offset_ns != 0 && answers.t_dequeued_ns() > 0) {
    int64_t moved_ns = 0;
    if (__builtin_sub_overflow(answers.t_dequeued_ns(), offset_ns, &moved_ns)) {
      return Internal(who + " sent a stamp that does not fit this clock (" +
                      std::to_string(answers.t_dequeued_ns()) + " ns)");
    }
    const_cast<pb::ResultFrame&>(answers).set_t_dequeued_ns(moved_ns);
  }
  Status answered = sink_->OnAnswers(worker, answers, dequeued_ns);
  if (!answered.ok()) {
    return Internal(who + " sent an answer that cannot be right: " + answered.message());
  }
  // Posted again at the next Collect, after the scheduler's send round: the
  // next task's frame goes out a post (~30 ns) sooner, and the worker's next
  // answer cannot come before that frame, unless one was in flight already,
  // which then waits in MPI's queue, in order, for the post.
  unposted_.push_back(worker);
  return Status::Ok();
}

Status MpiTransport::PostUnposted() {
  for (const int worker : unposted_) {
    PARLAB_RETURN_IF_ERROR(
        ranks_[static_cast<size_t>(worker)].inbox->Post(posted_[static_cast<size_t>(worker)]));
  }
  unposted_.clear();
  return Status::Ok();
}

Result<int> MpiTransport::Collect() {
  if (Status s = TestSends(); !s.ok()) return Fail(s);
  if (Status s = PostUnposted(); !s.ok()) return Fail(s);
  const uint64_t before = events_;
  // Several looks before the scheduler's next round: after its send round it
  // has nothing to do but wait for answers, and each of its rounds between
  // two looks (~30 ns; a look is ~60 ns) delayed noticing one.
  int done = 0;
  for (int look = 0; look < kLooksPerCollect; ++look) {
    // One rank: MPI_Test, which looks again after the progress it makes;
    // MPI_Testsome finds what that progress completed only on its next call
    // (Open MPI 4.1), a whole round later.
    const int rc = posted_.size() == 1
                       ? MPI_Test(&posted_[0], &done, &done_status_[0])
                       : MPI_Testsome(static_cast<int>(posted_.size()), posted_.data(), &done,
                                      done_.data(), done_status_.data());
    if (rc != MPI_SUCCESS) return Fail(MpiError("looking for answers", rc));
    if (++polls_ % kPollsPerWatchCheck == 0) {
      if (Status watched = WatchLocalRanks(); !watched.ok()) return Fail(watched);
    }
    if (done != 0) break;  // found (MPI_UNDEFINED: no receive posted)
  }
  if (done == 0 || done == MPI_UNDEFINED) return 0;
  const int64_t found_ns = NowNs();       // ordered: after the look that found them
  if (posted_.size() == 1) done_[0] = 0;  // MPI_Test's `done` is a flag: 1 = rank 0's
  for (int i = 0; i < done; ++i) {
    if (Status s = TakeAnswer(done_[static_cast<size_t>(i)], done_status_[static_cast<size_t>(i)],
                              found_ns);
        !s.ok()) {
      return Fail(s);
    }
  }
  return static_cast<int>(events_ - before);
}

Result<bool> MpiTransport::Wait(int64_t idle_since_ns) {
  const WaitPolicy policy = FromProto(job_.wait());
  if (policy == WaitPolicy::kSpin) return false;  // and reads no clock (kPollsPerWatchCheck)
  // Unordered (shared/clock.h): a wait decision, read on every idle poll.
  const int64_t idle_ns = NowNsUnordered() - idle_since_ns;
  if (policy == WaitPolicy::kAdaptive && idle_ns < kSpinNs) return false;
  // MPI has no descriptor to sleep on: sleep a little longer the longer idle,
  // so a long task costs few looks and a short one little latency.
  const int64_t sleep_ns = std::clamp<int64_t>(idle_ns / 8, 10'000, kMaxSleepNs);
  std::this_thread::sleep_for(std::chrono::nanoseconds(sleep_ns));
  // Sleeping polls are few: they look for a dead rank themselves.
  if (Status watched = WatchLocalRanks(); !watched.ok()) return Fail(watched);
  return true;
}

Status MpiTransport::Replace(int worker, WorkerPool& /*pool*/) {
  return Fail(Unavailable(DeathOf(worker)));
}

Status MpiTransport::OnControlFailure(Status why) {
  if (!started_) return why;
  // mpirun ends every rank with SIGTERM when one dies: say which one, if any.
  if (std::string death = FindLocalDeath(); !death.empty()) return Fail(Unavailable(death));
  std::string silent;
  for (int w = 0; w < job_.workers(); ++w) {
    if (ranks_[static_cast<size_t>(w)].local) continue;  // alive: its pid says so
    if (!MeasureClock(w + 1, 1, kAliveTimeoutNs).ok()) {
      silent += (silent.empty() ? "" : "; ") + Who(w);
    }
  }
  if (!silent.empty()) {
    return Fail(Unavailable(why.message() + "; did not answer since: " + silent +
                            " (dead, or inside a long task); MPI cannot replace a rank, so the "
                            "job ends here (the log keeps the trials that finished)"));
  }
  return Fail(std::move(why));
}

void MpiTransport::Stop() {
  if (!started_ || stopped_) return;
  stopped_ = true;
  if (!failed_) {
    for (int w = 0; w < job_.workers(); ++w) {
      Result<pb::ClockEstimate> clock = MeasureClock(w + 1, kClockExchanges, kClockTimeoutNs);
      if (clock.ok()) *places_[static_cast<size_t>(w)].mutable_clock_after() = *clock;
    }
  }
  // The ranks stay for the next job of this process; the session's end
  // shuts them down (MpiWorld). Every send must complete before its buffer
  // goes; a dead rank's never does (the session then ends with MPI_Abort,
  // which does not wait for it).
  const int64_t deadline_ns = NowNs() + kStopTimeoutNs;
  bool pending = true;
  while (pending && !failed_ && NowNs() < deadline_ns) {
    if (!TestSends().ok()) break;
    pending = false;
    for (const Rank& rank : ranks_) pending = pending || !rank.sends.empty();
  }
  if (pending) {
    (void)Fail(Unavailable("ranks did not take their last frames"));
    // Their buffers must outlive the requests: kept until exit, when MPI_Abort ends them.
    static std::vector<std::list<Send>>* abandoned = new std::vector<std::list<Send>>();
    for (Rank& rank : ranks_) abandoned->push_back(std::move(rank.sends));
  }
  // The answers' posted receives: withdrawn. After a failure a dead rank's
  // might never complete, so its buffer stays until exit, as the sends'.
  for (size_t w = 0; w < posted_.size(); ++w) {
    if (posted_[w] == MPI_REQUEST_NULL) continue;
    if (!failed_) {
      MpiInbox::Cancel(posted_[w]);
      continue;
    }
    MPI_Cancel(&posted_[w]);
    static std::vector<MpiInbox>* abandoned = new std::vector<MpiInbox>();
    abandoned->push_back(std::move(*ranks_[w].inbox));
  }
}

std::vector<std::string> MpiTransport::Notes() const {
  std::string clocks;
  for (const pb::WorkerPlace& place : places_) {
    if (!place.has_clock_before()) continue;
    clocks += (clocks.empty() ? "" : ", ") + std::string("rank ") + std::to_string(place.rank()) +
              "@" + place.host() + " " + std::to_string(place.clock_before().offset_ns()) + "±" +
              std::to_string(place.clock_before().bound_ns()) + " ns";
  }
  int on_mpi = 0;
  for (const Rank& rank : ranks_) on_mpi += rank.shm ? 0 : 1;
  std::vector<std::string> notes = {
      "transport mpi: " + std::to_string(job_.workers()) + " rank(s) beside rank 0, " +
      std::to_string(chunk_) + " task(s) per frame, input sent with the job constants to " +
      std::to_string(on_mpi) +
      " rank(s) on MPI, answers into posted receives, output back "
      "after each frame; " +
      std::to_string(frames_sent_) + " frames sent, " + Mib(bytes_sent_) + " sent, " +
      Mib(bytes_received_) + " received"};
  if (!clocks.empty()) notes.push_back("clock offsets (worker − coordinator): " + clocks);
  // Which ranks stamp with our very calibration (mpi_world.h: those on our node).
  const std::string ours = EncodeStampClock(CurrentStampClock());
  std::string shared;
  std::string own;
  for (const pb::WorkerPlace& place : places_) {
    std::string& list = place.stamp_clock() == ours ? shared : own;
    list += (list.empty() ? "" : ", ") + std::to_string(place.rank());
  }
  notes.push_back("stamp clock: " + CurrentStampClock().Describe() + "; rank(s) " +
                  (shared.empty() ? "none" : shared) + " use the same" +
                  (own.empty() ? "" : ", rank(s) " + own + " their own (aligned by the offsets)"));
  return notes;
}

}  // namespace parlab
