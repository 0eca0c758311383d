#include "worker/mpi_worker.h"

#include <mpi.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "shared/aligned_buffer.h"
#include "shared/clock.h"
#include "shared/frame_writer.h"
#include "shared/kernels/kernel.h"
#include "shared/mpi/mpi_clock.h"
#include "shared/mpi/mpi_inbox.h"
#include "shared/mpi/mpi_world.h"
#include "shared/platform/process_self.h"
#include "shared/shm/arena.h"
#include "shared/shm/wait_policy.h"
#include "shared/task_frame.h"
#include "shared/wire.h"
#include "worker/fault_injection.h"
#include "worker/task_executor.h"

namespace parlab {
namespace {

constexpr int kCoordinator = 0;
// adaptive: how long MPI_Test spins before the worker starts to sleep
// between looks, and the longest such sleep (the latency an idle worker adds
// to its next task at worst).
constexpr int64_t kSpinNs = 50'000;
constexpr int64_t kFirstSleepNs = 10'000;
constexpr int64_t kMaxSleepNs = 1'000'000;
// The most the input or an output may be: what a coordinator could sensibly
// send, so a wrong count is refused instead of allocated.
constexpr int kMaxMessageBytes = 64 << 20;

uint64_t AlignUp(uint64_t bytes) {
  return (bytes + kArenaAlignment - 1) / kArenaAlignment * kArenaAlignment;
}

class MpiWorker {
 public:
  MpiWorker(const WorkerOptions& options, MpiWorld& world)
      : options_(options),
        world_(world),
        index_(world.rank() - 1),
        executor_(ArenaView(nullptr, 0), index_),
        inbox_(kCoordinator) {}

  Status Run();

 private:
  // Waits, as --wait says, until the posted receive completes.
  Status NextMessage(MPI_Status& status);
  // False on Shutdown. `found_ns`: stamped as NextMessage found it.
  Result<bool> ServeFrame(const MPI_Status& status, int64_t found_ns);
  // Job constants: the job's input comes right after them, as a message of
  // its own, into our buffer, the executor's arena: input at 0, output after it.
  Status Accept(const pb::JobConstants& given);
  Status Answer(const pb::TaskFrame& tasks, int64_t dequeued_ns);
  // mpi+shm: runs one job as a shm worker on the segment the coordinator
  // named, until it closes the rings; then MPI again.
  Status TakeShmPath(const pb::ShmPath& path);

  const WorkerOptions& options_;
  // How NextMessage waits: --wait, until a job's constants say otherwise.
  WaitPolicy wait_ = options_.wait;
  MpiWorld& world_;
  const int index_;
  uint64_t input_bytes_ = 0;
  AlignedBuffer buffer_;  // [input | output], 64-byte aligned; grows, never shrinks
  TaskExecutor executor_;
  uint64_t output_bytes_ = 0;  // what follows each result frame, from the constants
  // One receive posted for whatever the coordinator sends next (frames and
  // clock pings, MPI_ANY_TAG): one MPI_Test a look, and MPI_Test looks again
  // after the progress it makes, where MPI_Testany over two receives would
  // find a message only on its next call (Open MPI 4.1). The input and a
  // large frame's second half come only while it is not posted.
  MpiInbox inbox_;
  MPI_Request posted_ = MPI_REQUEST_NULL;
  FrameParser parser_;
  pb::Frame response_;
  FrameWriter writer_;   // the answers' bytes
  std::string garbage_;  // fault injection: an answer's bytes, corrupted
};

Status MpiWorker::NextMessage(MPI_Status& status) {
  const bool spin = wait_ == WaitPolicy::kSpin;
  const int64_t spin_ns = wait_ == WaitPolicy::kBlock ? 0 : kSpinNs;
  // Wait decisions read the unordered clock (shared/clock.h): no stamp of
  // another process's is compared with them, and under --wait adaptive every
  // look reads it.
  const int64_t since_ns = spin ? 0 : NowNsUnordered();
  int64_t sleep_ns = kFirstSleepNs;
  for (;;) {
    int found = 0;
    if (int rc = MPI_Test(&posted_, &found, &status); rc != MPI_SUCCESS) {
      return MpiError("waiting for the coordinator", rc);
    }
    if (found) return Status::Ok();
    // Spinning reads no clock: a clock read per look is a tenth of a look.
    if (spin || NowNsUnordered() - since_ns < spin_ns) continue;
    std::this_thread::sleep_for(std::chrono::nanoseconds(sleep_ns));
    sleep_ns = std::min(kMaxSleepNs, sleep_ns * 2);
  }
}

Status MpiWorker::Accept(const pb::JobConstants& given) {
  const pb::Payload& payload = given.payload();
  if (payload.input_bytes() > kMaxMessageBytes || payload.output_bytes() > kMaxMessageBytes) {
    return InvalidArgument("coordinator sent job constants for " +
                           std::to_string(payload.input_bytes()) + " input and " +
                           std::to_string(payload.output_bytes()) + " output bytes");
  }
  input_bytes_ = payload.input_bytes();
  output_bytes_ = payload.output_bytes();
  if (given.wait() != pb::WAIT_UNSPECIFIED) wait_ = FromProto(given.wait());
  const uint64_t needed = AlignUp(input_bytes_) + output_bytes_;
  if (buffer_.size() < needed) buffer_ = AlignedBuffer(needed);
  // A longer input fails here (MPI_ERR_TRUNCATE), a shorter one below.
  MPI_Status status;
  if (int rc = MPI_Recv(buffer_.data(), static_cast<int>(input_bytes_), MPI_BYTE, kCoordinator,
                        kMpiTagInput, MPI_COMM_WORLD, &status);
      rc != MPI_SUCCESS) {
    return MpiError("receiving the job's input", rc);
  }
  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  if (static_cast<uint64_t>(count) != input_bytes_) {
    return InvalidArgument("coordinator sent job constants for " + std::to_string(input_bytes_) +
                           " input bytes, rank " + std::to_string(world_.rank()) + " received " +
                           std::to_string(count));
  }
  executor_ = TaskExecutor(ArenaView(buffer_.data(), buffer_.size()), index_);
  pb::JobConstants constants = given;
  constants.mutable_payload()->set_input_offset(0);
  constants.mutable_payload()->set_output_offset(AlignUp(input_bytes_));
  // Kept even when refused: each task of it is then answered TASK_FAILED
  // with the reason, as on shm.
  static_cast<void>(executor_.Prepare(constants));
  return Status::Ok();
}

Status MpiWorker::Answer(const pb::TaskFrame& tasks, int64_t dequeued_ns) {
  pb::ResultFrame& answers = *response_.mutable_result_frame();
  PARLAB_RETURN_IF_ERROR(executor_.RunFrame(tasks, dequeued_ns, answers));
  std::string_view bytes = writer_.Write(response_);
  if (AnswersWithGarbage(tasks)) {
    garbage_.assign(bytes);
    CorruptFrame(reinterpret_cast<std::byte*>(garbage_.data()), garbage_.size());
    bytes = garbage_;
  }
  PARLAB_RETURN_IF_ERROR(SendFrame(kCoordinator, bytes));
  // The output follows every result frame, failed tasks too, so both sides
  // stay in step: the coordinator receives exactly output_bytes after it.
  if (output_bytes_ > 0) {
    if (int rc = MPI_Send(buffer_.data() + AlignUp(input_bytes_), static_cast<int>(output_bytes_),
                          MPI_BYTE, kCoordinator, kMpiTagOutput, MPI_COMM_WORLD);
        rc != MPI_SUCCESS) {
      return MpiError("sending a task's output", rc);
    }
  }
  return Status::Ok();
}

Status MpiWorker::TakeShmPath(const pb::ShmPath& path) {
  // The same arguments a forked shm worker gets, checked by the same parser.
  std::vector<std::string> args = {"parlab-worker"};
  args.insert(args.end(), path.worker_args().begin(), path.worker_args().end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  Result<WorkerOptions> shm = ParseWorkerOptions(static_cast<int>(argv.size()), argv.data());
  if (!shm.ok())
    return InvalidArgument("coordinator sent a bad shm path: " + shm.status().message());
  if (shm->uds || shm->mpi || shm->segment.empty()) {
    return InvalidArgument("coordinator sent a shm path without a segment");
  }
  shm->control_fd = -1;  // no control socket: the hello went over MPI
  return RunShmWorker(*shm);
}

Result<bool> MpiWorker::ServeFrame(const MPI_Status& status, int64_t found_ns) {
  // A large frame waits for its second message here; the coordinator sends
  // it right after the first, so there is nothing to watch meanwhile.
  PARLAB_ASSIGN_OR_RETURN(std::string_view bytes, inbox_.Take(status, [] { return Status::Ok(); }));
  const int64_t dequeued_ns = inbox_.InPostedReceive(bytes) ? found_ns : NowNs();
  // Parsing copies what the frame holds: its bytes may go once parsed.
  PARLAB_ASSIGN_OR_RETURN(const pb::Frame* frame,
                          parser_.Parse(bytes.data(), bytes.size(), "coordinator"));
  if (frame->has_shutdown()) return false;
  if (frame->has_shm_path()) {
    PARLAB_RETURN_IF_ERROR(TakeShmPath(frame->shm_path()));
    return true;
  }
  if (frame->has_constants()) {
    PARLAB_RETURN_IF_ERROR(Accept(frame->constants()));
    return true;
  }
  if (!frame->has_task_frame()) {
    return InvalidArgument(
        "coordinator sent a frame that is neither job constants, tasks nor "
        "shutdown");
  }
  PARLAB_RETURN_IF_ERROR(Answer(frame->task_frame(), dequeued_ns));
  return true;
}

Status MpiWorker::Run() {
  pb::Frame hello;
  hello.mutable_hello()->set_worker(index_);
  hello.mutable_hello()->set_pid(static_cast<int32_t>(getpid()));
  hello.mutable_hello()->set_host(world_.host());
  hello.mutable_hello()->set_stamp_clock(EncodeStampClock(CurrentStampClock()));
  std::string bytes;
  if (!hello.SerializeToString(&bytes)) return Internal("cannot encode hello");
  PARLAB_RETURN_IF_ERROR(SendFrame(kCoordinator, bytes));
  for (;;) {
    // Posted after the answer went: the answer is what the coordinator waits
    // for, and a frame that comes meanwhile waits in MPI's queue, in order.
    PARLAB_RETURN_IF_ERROR(inbox_.Post(posted_, MPI_ANY_TAG));
    MPI_Status status;
    PARLAB_RETURN_IF_ERROR(NextMessage(status));
    if (status.MPI_TAG == kMpiTagPing) {
      PARLAB_RETURN_IF_ERROR(AnswerPing(kCoordinator));
      continue;
    }
    const int64_t found_ns = NowNs();  // ordered: after the look that found it
    if (status.MPI_TAG != kMpiTagFrame) {
      return InvalidArgument("coordinator sent a message of tag " + std::to_string(status.MPI_TAG) +
                             " out of turn");
    }
    PARLAB_ASSIGN_OR_RETURN(bool go_on, ServeFrame(status, found_ns));
    if (!go_on) return Status::Ok();
  }
}

}  // namespace

Status RunMpiWorker(const WorkerOptions& options) {
  IgnoreTerminationSignal();
  PARLAB_ASSIGN_OR_RETURN(MpiWorld * world, MpiWorld::Get());
  if (world->rank() == 0) {
    return FailedPrecondition("rank 0 is the coordinator: run `parlab run ... --transport mpi`");
  }
  const Status status = MpiWorker(options, *world).Run();
  if (!status.ok()) {
    // Tell the coordinator why, best effort; the job cannot go on without us.
    pb::Frame error;
    error.mutable_error()->set_worker(world->rank() - 1);
    error.mutable_error()->set_message(status.message());
    std::string bytes;
    if (error.SerializeToString(&bytes)) static_cast<void>(SendFrame(kCoordinator, bytes));
    world->MarkBroken();
  }
  return status;
}

}  // namespace parlab
