// ChildProcess::Start and Fork: everything between "what to run" and a
// running child. The rest of ChildProcess (waiting, killing) is in
// child_process.cc.
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "shared/clock.h"
#include "shared/platform/child_process.h"
#include "shared/platform/executable_path.h"
#include "shared/platform/fd_pair.h"

extern char** environ;

namespace parlab {
namespace {

constexpr int kFirstInherited = 3;
constexpr size_t kMaxInherited = 16;

// A copy of our environment with spec.env applied, and our stamp clock handed
// down (shared/clock.h) unless spec.env says otherwise: a parlab child then
// turns a TSC reading into the same nanosecond as we do.
std::vector<std::string> Environment(const ChildSpec& spec) {
  std::map<std::string, std::optional<std::string>> env = spec.env;
  env.emplace(kStampClockVariable, EncodeStampClock(CurrentStampClock()));
  std::vector<std::string> out;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    if (env.count(entry.substr(0, entry.find('='))) == 0) out.push_back(entry);
  }
  for (const auto& [name, value] : env) {
    if (value.has_value()) out.push_back(name + "=" + *value);
  }
  return out;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

Result<std::string> ProgramFile(const ChildSpec& spec) {
  std::string file = spec.path.empty() ? spec.argv[0] : spec.path;
  if (file.find('/') == std::string::npos) {
    std::optional<std::string> found = FindOnPath(file);
    if (!found) return NotFound(file + ": no such program on $PATH");
    file = *found;
  }
  if (access(file.c_str(), X_OK) != 0) {
    return NotFound("cannot execute " + file + ": " + std::strerror(errno));
  }
  return file;
}

// In the child, after fork: async-signal-safe calls only. Tells the parent
// why through `report` and ends when the child cannot be what was asked.
[[noreturn]] void Fail(int report) {
  const int error = errno;
  (void)!write(report, &error, sizeof(error));
  _exit(127);
}

// Dies with the parent (see child_process.h); false when the parent is gone.
bool FollowParent(pid_t parent) {
  return prctl(PR_SET_PDEATHSIG, SIGKILL) == 0 && getppid() == parent;
}

}  // namespace

Result<ChildProcess> ChildProcess::Start(const ChildSpec& spec) {
  if (spec.argv.empty()) return InvalidArgument("a child needs a program: argv is empty");
  if (spec.inherit_fds.size() > kMaxInherited) {
    return InvalidArgument("a child inherits at most " + std::to_string(kMaxInherited) +
                           " descriptors, asked for " + std::to_string(spec.inherit_fds.size()));
  }
  PARLAB_ASSIGN_OR_RETURN(std::string file, ProgramFile(spec));
  // Everything the child needs is built before fork.
  std::vector<std::string> argv_storage = spec.argv;
  std::vector<char*> argv = Pointers(argv_storage);
  std::vector<std::string> env_storage = Environment(spec);
  std::vector<char*> envp = Pointers(env_storage);

  const bool capture =
      spec.stdout_to == ChildOutput::kCapture || spec.stderr_to == ChildOutput::kCapture;
  UniqueFd null_fd(open("/dev/null", O_RDWR | O_CLOEXEC));
  if (!null_fd.valid()) return Internal(std::string("open /dev/null: ") + std::strerror(errno));
  UniqueFd output_read;
  UniqueFd output_write;
  if (capture) {
    PARLAB_ASSIGN_OR_RETURN(auto pipe, MakePipe());
    output_read = std::move(pipe.first);
    output_write = std::move(pipe.second);
  }
  UniqueFd input_read;
  UniqueFd input_write;
  if (spec.stdin_from == ChildInput::kPipe) {
    PARLAB_ASSIGN_OR_RETURN(auto pipe, MakePipe());
    input_read = std::move(pipe.first);
    input_write = std::move(pipe.second);
  }
  PARLAB_ASSIGN_OR_RETURN(auto report, MakePipe());

  // The child's stdio sources, by number: -1 leaves ours.
  auto source = [&](ChildOutput to) {
    if (to == ChildOutput::kDiscard) return null_fd.get();
    if (to == ChildOutput::kCapture) return output_write.get();
    return -1;
  };
  const int count = static_cast<int>(spec.inherit_fds.size());
  int sources[kMaxInherited + 4];
  for (int i = 0; i < count; ++i) sources[i] = spec.inherit_fds[static_cast<size_t>(i)];
  sources[count] = spec.stdin_from == ChildInput::kNull   ? null_fd.get()
                   : spec.stdin_from == ChildInput::kPipe ? input_read.get()
                                                          : -1;
  sources[count + 1] = source(spec.stdout_to);
  sources[count + 2] = source(spec.stderr_to);
  sources[count + 3] = report.second.get();
  int moved[kMaxInherited + 4];
  const char* program = file.c_str();
  const pid_t parent = getpid();

  const pid_t pid = fork();
  if (pid < 0) return ResourceExhausted(std::string("fork failed: ") + std::strerror(errno));
  if (pid == 0) {
    if (!FollowParent(parent)) _exit(126);
    // Two steps, so that a source that already sits on another one's target
    // (fd 4 to become 3 while fd 3 is to become 4) is not overwritten: first
    // copy every source above all targets (the copies close on exec), then
    // dup2 each copy onto its target, which clears FD_CLOEXEC there.
    for (int i = 0; i < count + 4; ++i) {
      moved[i] = sources[i] < 0 ? -1 : fcntl(sources[i], F_DUPFD_CLOEXEC, kFirstInherited + count);
      if (sources[i] >= 0 && moved[i] < 0) _exit(126);  // no report end to write to yet
    }
    const int to_parent = moved[count + 3];
    for (int target = 0; target < 3; ++target) {
      if (moved[count + target] >= 0 && dup2(moved[count + target], target) < 0) Fail(to_parent);
    }
    for (int i = 0; i < count; ++i) {
      if (dup2(moved[i], kFirstInherited + i) < 0) Fail(to_parent);
    }
    execve(program, argv.data(), envp.data());
    Fail(to_parent);
  }
  ChildProcess child(pid);
  child.output_ = std::move(output_read);
  child.input_ = std::move(input_write);
  output_write.Reset();  // ours closed, so end of stream comes when the child's is
  input_read.Reset();
  report.second.Reset();
  // The report pipe closes on a successful exec with nothing in it.
  int error = 0;
  ssize_t got = 0;
  while ((got = read(report.first.get(), &error, sizeof(error))) < 0 && errno == EINTR) {
  }
  if (got == static_cast<ssize_t>(sizeof(error))) {
    child.WaitOrKill(0);
    if (error == ENOENT || error == EACCES) {
      return NotFound("cannot execute " + file + ": " + std::strerror(error));
    }
    return Internal("cannot start " + file + ": " + std::strerror(error));
  }
  return child;
}

Result<ChildProcess> ChildProcess::Fork(const std::function<int()>& body) {
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) return ResourceExhausted(std::string("fork failed: ") + std::strerror(errno));
  if (pid == 0) {
    if (!FollowParent(parent)) _exit(126);
    _exit(body());
  }
  return ChildProcess(pid);
}

}  // namespace parlab
