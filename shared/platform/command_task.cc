#include "shared/platform/command_task.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "shared/clock.h"
#include "shared/platform/fd_pair.h"
#include "shared/platform/spawned_group.h"
#include "shared/utf8.h"

namespace parlab {
namespace {

constexpr size_t kReadBytes = 64 * 1024;
// Without a pidfd (a kernel before 5.3) the end is looked for this often.
constexpr int kReapPollMs = 1;

UniqueFd OpenOutput(const std::string& path) {
  return UniqueFd(open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
}

bool WriteAllTo(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// One of the program's output streams, read from its pipe: kept in memory
// while it is small, written on to its file once it is not.
class Stream {
 public:
  Stream(std::string path, size_t inline_limit) : path_(std::move(path)), limit_(inline_limit) {}

  UniqueFd& pipe() { return pipe_; }
  bool open() const { return pipe_.valid(); }

  // Reads what is there; closes the pipe at its end. False: its file failed.
  bool ReadSome(std::vector<char>& buffer) {
    const ssize_t n = read(pipe_.get(), buffer.data(), buffer.size());
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
    if (n <= 0) {
      pipe_.Reset();
      return true;
    }
    return Take(buffer.data(), static_cast<size_t>(n));
  }

  void Fill(pb::CommandOutcome& out, bool is_stdout) {
    const std::string tail = ValidUtf8(
        tail_.size() > kCommandTailBytes ? tail_.substr(tail_.size() - kCommandTailBytes) : tail_);
    if (is_stdout) {
      out.set_stdout_bytes(bytes_);
      out.set_stdout_in_file(file_.valid());
      if (!file_.valid()) out.set_stdout_data(std::move(data_));
      out.set_stdout_tail(tail);
    } else {
      out.set_stderr_bytes(bytes_);
      out.set_stderr_in_file(file_.valid());
      if (!file_.valid()) out.set_stderr_data(std::move(data_));
      out.set_stderr_tail(tail);
    }
  }
  const std::string& error() const { return error_; }

 private:
  bool Take(const char* data, size_t size) {
    bytes_ += static_cast<int64_t>(size);
    tail_.append(data, size);
    if (tail_.size() > 4 * kCommandTailBytes) tail_.erase(0, tail_.size() - kCommandTailBytes);
    if (!file_.valid() && data_.size() + size <= limit_) {
      data_.append(data, size);
      return true;
    }
    if (!file_.valid()) {
      file_ = OpenOutput(path_);
      if (!file_.valid() || !WriteAllTo(file_.get(), data_.data(), data_.size())) {
        error_ = "cannot write " + path_ + ": " + std::strerror(errno);
        return false;
      }
      data_.clear();
    }
    if (!WriteAllTo(file_.get(), data, size)) {
      error_ = "cannot write " + path_ + ": " + std::strerror(errno);
      return false;
    }
    return true;
  }

  std::string path_;
  size_t limit_;
  UniqueFd pipe_;
  UniqueFd file_;
  std::string data_;
  std::string tail_;
  int64_t bytes_ = 0;
  std::string error_;
};

// The size and the last bytes of a file the program wrote itself (--output-dir).
void Measure(int fd, int64_t& bytes, std::string& tail) {
  struct stat st {};
  if (fstat(fd, &st) != 0) return;
  bytes = st.st_size;
  const int64_t from = std::max<int64_t>(0, bytes - static_cast<int64_t>(kCommandTailBytes));
  std::string buffer(static_cast<size_t>(bytes - from), '\0');
  const ssize_t n = pread(fd, buffer.data(), buffer.size(), from);
  buffer.resize(n > 0 ? static_cast<size_t>(n) : 0);
  tail = ValidUtf8(buffer);
}

void Finish(const SpawnedExit& exit, pb::TaskResult& result) {
  pb::CommandOutcome& out = *result.mutable_command();
  out.set_exit_code(exit.exit_code);
  out.set_signal(exit.signal);
  if (exit.signal == 0 && exit.exit_code == 0) {
    result.set_status(pb::TASK_OK);
    return;
  }
  result.set_status(pb::TASK_FAILED);
  result.set_error(exit.signal != 0 ? "killed by " + std::string(strsignal(exit.signal))
                                    : "exited with code " + std::to_string(exit.exit_code));
}

}  // namespace

void LeaveInterruptsToCoordinator() {
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGINT, &ignore, nullptr);
}

void RunCommandTask(const pb::CommandTask& task, int cancel_fd, pb::TaskResult& result) {
  pb::CommandOutcome& out = *result.mutable_command();
  result.set_t_compute_start_ns(NowNs());
  const std::vector<std::string> argv(task.argv().begin(), task.argv().end());
  const size_t limit = static_cast<size_t>(std::max<int64_t>(0, task.inline_limit()));
  Stream streams[2] = {Stream(task.stdout_path(), limit), Stream(task.stderr_path(), limit)};
  UniqueFd child_ends[2];
  for (int s = 0; s < 2; ++s) {
    if (task.keep_files()) {
      child_ends[s] = OpenOutput(s == 0 ? task.stdout_path() : task.stderr_path());
      if (!child_ends[s].valid()) {
        result.set_status(pb::TASK_FAILED);
        result.set_error("cannot write " + (s == 0 ? task.stdout_path() : task.stderr_path()) +
                         ": " + std::strerror(errno));
        result.set_t_compute_end_ns(NowNs());
        return;
      }
      continue;
    }
    Result<std::pair<UniqueFd, UniqueFd>> pipe = MakePipe();
    if (!pipe.ok()) {
      result.set_status(pb::TASK_FAILED);
      result.set_error(pipe.status().message());
      result.set_t_compute_end_ns(NowNs());
      return;
    }
    streams[s].pipe() = std::move(pipe->first);
    child_ends[s] = std::move(pipe->second);
  }

  out.set_t_spawn_ns(NowNs());
  Result<SpawnedGroup> spawned =
      SpawnedGroup::Spawn(argv, child_ends[0].get(), child_ends[1].get());
  out.set_t_spawned_ns(NowNs());
  // Ours closed, so the pipes end when the program's (and its children's) do.
  child_ends[0].Reset();
  child_ends[1].Reset();
  if (!spawned.ok()) {
    // As a shell says it: 127, and why on stderr.
    out.set_exit_code(127);
    out.set_stderr_data("parlab: " + spawned.status().message() + "\n");
    out.set_stderr_bytes(static_cast<int64_t>(out.stderr_data().size()));
    out.set_stderr_tail(ValidUtf8(out.stderr_data()));
    out.set_t_exited_ns(out.t_spawned_ns());
    result.set_status(pb::TASK_FAILED);
    result.set_error(spawned.status().message());
    result.set_t_compute_end_ns(NowNs());
    return;
  }
  SpawnedGroup& group = *spawned;
  const int64_t deadline_ns =
      task.timeout_ms() > 0 ? out.t_spawned_ns() + task.timeout_ms() * 1'000'000 : -1;
  std::vector<char> buffer(kReadBytes);
  std::optional<SpawnedExit> exit;
  bool timed_out = false, cancelled = false, drained = false;
  int reads_after_end = 0;
  std::string write_error;
  while (!drained) {
    pollfd fds[4];
    int count = 0;
    int stream_at[2] = {-1, -1};
    const int exit_at = group.exit_fd() >= 0 && !exit ? count : -1;
    if (exit_at >= 0) fds[count++] = {group.exit_fd(), POLLIN, 0};
    for (int s = 0; s < 2; ++s) {
      if (streams[s].open()) {
        stream_at[s] = count;
        fds[count++] = {streams[s].pipe().get(), POLLIN, 0};
      }
    }
    const int cancel_at = cancel_fd >= 0 && !exit ? count : -1;
    if (cancel_at >= 0) fds[count++] = {cancel_fd, POLLIN, 0};
    int wait_ms = -1;
    if (exit) {
      wait_ms = 0;  // ended: take what its pipes hold now, not what its children write later
    } else {
      if (deadline_ns >= 0) {
        wait_ms =
            static_cast<int>(std::max<int64_t>(0, (deadline_ns - NowNs() + 999'999) / 1'000'000));
      }
      if (group.exit_fd() < 0) wait_ms = wait_ms < 0 ? kReapPollMs : std::min(wait_ms, kReapPollMs);
    }
    const int ready = poll(fds, static_cast<nfds_t>(count), wait_ms);
    if (ready < 0 && errno != EINTR) break;
    bool read_any = false;
    for (int s = 0; s < 2; ++s) {
      if (stream_at[s] < 0 || ready <= 0 || fds[stream_at[s]].revents == 0) continue;
      read_any = true;
      if (!streams[s].ReadSome(buffer) && write_error.empty()) write_error = streams[s].error();
    }
    if (exit) {
      // A background child of the program may hold a pipe and write on: a
      // bounded number of reads after the end, then the rest is its own.
      drained = !read_any || (!streams[0].open() && !streams[1].open()) || ++reads_after_end > 64;
      continue;
    }
    if (cancel_at >= 0 && ready > 0 && fds[cancel_at].revents != 0) {
      exit = group.KillGroup();
      cancelled = true;
      out.set_t_exited_ns(NowNs());
      continue;
    }
    const bool ended = exit_at >= 0 ? ready > 0 && fds[exit_at].revents != 0 : true;
    if (ended) {
      if ((exit = group.TryReap())) {
        out.set_t_exited_ns(NowNs());
        continue;
      }
    }
    if (deadline_ns >= 0 && NowNs() >= deadline_ns) {
      exit = group.KillGroup();
      timed_out = true;
      out.set_t_exited_ns(NowNs());
    }
  }
  if (!exit) exit = group.KillGroup();  // poll failed: nothing more can be watched

  if (task.keep_files()) {
    UniqueFd files[2] = {UniqueFd(open(task.stdout_path().c_str(), O_RDONLY | O_CLOEXEC)),
                         UniqueFd(open(task.stderr_path().c_str(), O_RDONLY | O_CLOEXEC))};
    int64_t bytes[2] = {0, 0};
    std::string tails[2];
    for (int s = 0; s < 2; ++s) {
      if (files[s].valid()) Measure(files[s].get(), bytes[s], tails[s]);
    }
    out.set_stdout_bytes(bytes[0]);
    out.set_stdout_in_file(true);
    out.set_stdout_tail(tails[0]);
    out.set_stderr_bytes(bytes[1]);
    out.set_stderr_in_file(true);
    out.set_stderr_tail(tails[1]);
  } else {
    streams[0].Fill(out, true);
    streams[1].Fill(out, false);
  }
  Finish(*exit, result);
  if (timed_out) {
    out.set_timed_out(true);
    result.set_status(pb::TASK_TIMED_OUT);
    result.set_error("ran past --task-timeout " + std::to_string(task.timeout_ms()) +
                     " ms; its process group was killed");
  } else if (cancelled) {
    result.set_status(pb::TASK_FAILED);
    result.set_error("cancelled: parlab is stopping");
  } else if (!write_error.empty()) {
    result.set_status(pb::TASK_FAILED);
    result.set_error(write_error);
  }
  result.set_t_compute_end_ns(NowNs());
}

}  // namespace parlab
