#include "coordinator/runtime/mpi_shm_transport.h"

#include <utility>

#include "coordinator/runtime/segment_size.h"

namespace parlab {
namespace {

// The shm transport's job: the local ranks only, with the whole job's tasks
// per frame (auto chunking counts every worker, not only these).
pb::JobSpec LocalJob(const pb::JobSpec& job, int local_workers) {
  pb::JobSpec local = job;
  local.set_workers(local_workers);
  local.set_chunk(ChunkFor(job));
  local.set_transport(pb::SHM);
  return local;
}

}  // namespace

MpiShmTransport::MpiShmTransport(const pb::JobSpec& job) : job_(job), mpi_(job) {}

Status MpiShmTransport::Start(const Workload& workload, WorkerPool& pool, AnswerSink& sink) {
  sink_ = &sink;
  // Every rank's hello, clock and place; the input to the remote ranks only.
  PARLAB_RETURN_IF_ERROR(mpi_.Start(workload, pool, sink));
  routes_.assign(static_cast<size_t>(job_.workers()), Route{});
  for (int w = 0; w < job_.workers(); ++w) {
    if (!mpi_.OnShmPath(w)) continue;
    routes_[static_cast<size_t>(w)] = {true, static_cast<int>(local_workers_.size())};
    local_workers_.push_back(w);
  }
  if (local_workers_.empty()) return Status::Ok();
  shm_ = std::make_unique<ShmTransport>(LocalJob(job_, static_cast<int>(local_workers_.size())));
  Result<std::vector<std::vector<std::string>>> args = shm_->StartChannels(workload, *this);
  if (!args.ok()) return mpi_.Fail(args.status());
  // Each local rank attaches the segment as a forked worker would, from the
  // same arguments; the job's constants then reach it on its ring.
  pb::Frame attach;
  for (size_t i = 0; i < local_workers_.size(); ++i) {
    pb::ShmPath& path = *attach.mutable_shm_path();
    path.clear_worker_args();
    for (const std::string& arg : (*args)[i]) path.add_worker_args(arg);
    PARLAB_RETURN_IF_ERROR(mpi_.Encode(local_workers_[i], attach));
    PARLAB_RETURN_IF_ERROR(mpi_.Publish(local_workers_[i]));
  }
  return Status::Ok();
}

void MpiShmTransport::DescribePayload(int worker, pb::Payload& payload) const {
  const Route& route = routes_[static_cast<size_t>(worker)];
  if (route.shm) {
    shm_->DescribePayload(route.index, payload);
  } else {
    mpi_.DescribePayload(worker, payload);
  }
}

Status MpiShmTransport::Encode(int worker, const pb::Frame& frame) {
  const Route& route = routes_[static_cast<size_t>(worker)];
  return route.shm ? shm_->Encode(route.index, frame) : mpi_.Encode(worker, frame);
}

Status MpiShmTransport::Publish(int worker) {
  const Route& route = routes_[static_cast<size_t>(worker)];
  return route.shm ? shm_->Publish(route.index) : mpi_.Publish(worker);
}

Status MpiShmTransport::OnAnswers(int local, const pb::ResultFrame& answers, int64_t dequeued_ns) {
  return sink_->OnAnswers(local_workers_[static_cast<size_t>(local)], answers, dequeued_ns);
}

std::optional<RunningTask> MpiShmTransport::RunningTaskOf(int local) const {
  return sink_->RunningTaskOf(local_workers_[static_cast<size_t>(local)]);
}

void MpiShmTransport::OnCorrupt(int local, const Status& why) {
  // The scheduler would kill and replace the worker; a rank cannot be
  // replaced, so Collect ends the job instead.
  if (!corrupt_.empty()) return;
  const int worker = local_workers_[static_cast<size_t>(local)];
  corrupt_ = mpi_.Who(worker) + " (shm path): " + why.message() +
             "; MPI cannot replace a rank, so the job ends here";
}

Result<int> MpiShmTransport::Collect() {
  int frames = 0;
  if (shm_) {
    PARLAB_ASSIGN_OR_RETURN(int taken, shm_->Collect());
    frames += taken;
    if (!corrupt_.empty()) return mpi_.Fail(Internal(corrupt_));
  }
  // Also what the local ranks say over MPI (an error when they cannot
  // attach), and whether one of them died.
  PARLAB_ASSIGN_OR_RETURN(int taken, mpi_.Collect());
  return frames + taken;
}

Result<bool> MpiShmTransport::Wait(int64_t idle_since_ns) {
  // Only when every worker is on the rings can the wait sleep on their
  // doorbell; a remote rank's answer would not ring it.
  if (shm_ && local_workers_.size() == routes_.size()) {
    Result<bool> slept = shm_->Wait(idle_since_ns);
    if (!corrupt_.empty()) return mpi_.Fail(Internal(corrupt_));
    return slept;
  }
  return mpi_.Wait(idle_since_ns);
}

void MpiShmTransport::CollectLeftovers(int worker) {
  const Route& route = routes_[static_cast<size_t>(worker)];
  if (route.shm) shm_->CollectLeftovers(route.index);
}

void MpiShmTransport::Stop() {
  // The rings first: closing them sends the local ranks back to their MPI
  // loop, where they answer the closing clock estimate of mpi_.Stop().
  if (shm_) shm_->Stop();
  mpi_.Stop();
}

std::vector<std::string> MpiShmTransport::Notes() const {
  std::string local;
  for (int w : local_workers_) local += (local.empty() ? "" : ", ") + std::to_string(w + 1);
  std::vector<std::string> notes = {
      "transport mpi+shm: " +
      (local.empty() ? std::string("no rank shares this host, so none") : "rank(s) " + local) +
      " on the shared-memory path, " + std::to_string(routes_.size() - local_workers_.size()) +
      " rank(s) on MPI messages"};
  for (const std::string& note : mpi_.Notes()) notes.push_back(note);
  if (shm_) {
    for (const std::string& note : shm_->Notes()) notes.push_back(note);
  }
  return notes;
}

}  // namespace parlab
