#include "shared/platform/spawned_group.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "shared/platform/executable_path.h"

extern char** environ;

namespace parlab {
namespace {

#if defined(__SANITIZE_THREAD__)
#define PARLAB_UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define PARLAB_UNDER_TSAN 1
#endif
#endif

using CloneFunction = int (*)(int (*)(void*), void*, int, void*, ...);

// glibc's clone. ThreadSanitizer intercepts clone() as a fork: its child
// half resets TSan's thread registry, and with CLONE_VM that registry is the
// parent's own memory — every later report came out wrong (a race against
// an allocation, not the writes after it) and TSan then died in its own
// CHECK. The real clone, found in libc itself, keeps TSan out of a child
// that runs none of its code (ChildMain is not instrumented).
CloneFunction RealClone() {
#if defined(PARLAB_UNDER_TSAN)
  static const CloneFunction real = [] {
    void* libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
    void* found = libc != nullptr ? dlsym(libc, "clone") : nullptr;
    return found != nullptr ? reinterpret_cast<CloneFunction>(found) : &clone;
  }();
  return real;
#else
  return &clone;
#endif
}

SpawnedExit Decode(int status) {
  SpawnedExit out;
  if (WIFEXITED(status)) {
    out.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    out.signal = WTERMSIG(status);
  }
  return out;
}

// What parlab ignores or handles (SIGPIPE; SIGINT, SIGTERM, SIGCHLD through
// Asio) is the program's default again, even where we ignore it.
constexpr int kMadeDefault[] = {SIGPIPE, SIGINT,  SIGTERM, SIGHUP,
                                SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2};

// The kernel's struct sigaction as rt_sigaction takes it. Only the handler
// (first on every architecture) is read or set; the rest stays zero.
struct KernelSigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)();
  uint64_t mask;
};

// What the child needs, all made before clone: it shares our memory and
// must not allocate, lock or call anything a sanitizer intercepts.
struct ChildPlan {
  const char* program;  // resolved: execve, no $PATH search in the child
  char* const* argv;
  char* const* envp;
  int stdout_fd;
  int stderr_fd;
  pid_t parent;
  volatile int error;  // the child's errno when it could not exec; 0 when it did
};

// The stack the child runs on until it execs (the parent's own is in use,
// though suspended). The child needs little: a few syscalls, no library.
constexpr size_t kChildStackBytes = 64 * 1024;

// Raw system calls only: libc's wrappers of these are intercepted by the
// sanitizers, whose bookkeeping (a signal table, a descriptor table) lives
// in the memory the child shares with us.
[[noreturn]] __attribute__((no_sanitize("address", "thread", "undefined"))) void ChildFail(
    ChildPlan* plan, long result) {
  plan->error = result < 0 ? static_cast<int>(-result) : EINVAL;
  syscall(SYS_exit, 127);
  __builtin_unreachable();
}

__attribute__((no_sanitize("address", "thread", "undefined"))) long Call(long number, long a = 0,
                                                                         long b = 0, long c = 0,
                                                                         long d = 0) {
  const long r = syscall(number, a, b, c, d);
  return r < 0 ? -errno : r;
}

// The child, between clone and execve. Dies with the thread that started it
// (PR_SET_PDEATHSIG), and checks that its parent is still there, since the
// parent may have died before the prctl.
__attribute__((no_sanitize("address", "thread", "undefined"))) int ChildMain(void* arg) {
  ChildPlan* plan = static_cast<ChildPlan*>(arg);
  long r = Call(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL);
  if (r < 0) ChildFail(plan, r);
  if (Call(SYS_getppid) != plan->parent) ChildFail(plan, -ESRCH);
  // Its own process group (pgid = its pid), so a timeout kills what it started too.
  if ((r = Call(SYS_setpgid, 0, 0)) < 0) ChildFail(plan, r);
  // A handler of ours must not run in the child (it would run on our
  // memory): every handled signal goes back to its default, and so do the
  // ignored ones parlab ignores for itself. Other ignored ones stay ignored,
  // as a shell leaves them (nohup).
  for (int sig = 1; sig < 65; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    KernelSigaction old{};
    if (Call(SYS_rt_sigaction, sig, 0, reinterpret_cast<long>(&old), 8) < 0) continue;
    if (old.handler == SIG_DFL) continue;
    bool made_default = false;
    for (int d : kMadeDefault) made_default = made_default || d == sig;
    if (old.handler == SIG_IGN && !made_default) continue;
    KernelSigaction to_default{};
    to_default.handler = SIG_DFL;
    Call(SYS_rt_sigaction, sig, reinterpret_cast<long>(&to_default), 0, 8);
  }
  const long null_fd = Call(SYS_openat, AT_FDCWD, reinterpret_cast<long>("/dev/null"), O_RDONLY);
  if (null_fd < 0) ChildFail(plan, null_fd);
  const int sources[3] = {static_cast<int>(null_fd), plan->stdout_fd, plan->stderr_fd};
  for (int target = 0; target < 3; ++target) {
    // dup3 refuses a descriptor onto itself; then only close-on-exec goes.
    r = sources[target] == target ? Call(SYS_fcntl, target, F_SETFD, 0)
                                  : Call(SYS_dup3, sources[target], target, 0);
    if (r < 0) ChildFail(plan, r);
  }
  if (null_fd > 2) Call(SYS_close, null_fd);
  const uint64_t none = 0;
  Call(SYS_rt_sigprocmask, SIG_SETMASK, reinterpret_cast<long>(&none), 0, 8);
  r = Call(SYS_execve, reinterpret_cast<long>(plan->program), reinterpret_cast<long>(plan->argv),
           reinterpret_cast<long>(plan->envp));
  ChildFail(plan, r);
}

// Blocks every signal on this thread while it lives (so that none is
// handled in the child before its dispositions are reset), then restores.
class AllSignalsBlocked {
 public:
  AllSignalsBlocked() {
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old_);
  }
  ~AllSignalsBlocked() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  AllSignalsBlocked(const AllSignalsBlocked&) = delete;
  AllSignalsBlocked& operator=(const AllSignalsBlocked&) = delete;

 private:
  sigset_t old_;
};

}  // namespace

Result<SpawnedGroup> SpawnedGroup::Spawn(const std::vector<std::string>& argv, int stdout_fd,
                                         int stderr_fd) {
  if (argv.empty() || argv[0].empty()) return InvalidArgument("a command needs a program");
  std::string program = argv[0];
  if (program.find('/') == std::string::npos) {
    std::optional<std::string> found = FindOnPath(program);
    if (!found) return NotFound(argv[0] + ": " + std::strerror(ENOENT));
    program = std::move(*found);
  }
  std::vector<char*> pointers;
  pointers.reserve(argv.size() + 1);
  for (const std::string& word : argv) pointers.push_back(const_cast<char*>(word.c_str()));
  pointers.push_back(nullptr);

  void* stack = mmap(nullptr, kChildStackBytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) {
    return ResourceExhausted(std::string("a stack to spawn ") + argv[0] + ": " +
                             std::strerror(errno));
  }
  ChildPlan plan{program.c_str(), pointers.data(), environ, stdout_fd, stderr_fd, getpid(), 0};
  pid_t pid = -1;
  int clone_error = 0;
  {
    const AllSignalsBlocked blocked;
    // As glibc's posix_spawn: the child shares our memory and we wait until
    // it has exec'd (CLONE_VFORK), so nothing is copied and the cost does not
    // grow with our size. Unlike posix_spawn, there is a step for the prctl.
    pid = RealClone()(ChildMain, static_cast<char*>(stack) + kChildStackBytes,
                      CLONE_VM | CLONE_VFORK | SIGCHLD, &plan);
    clone_error = errno;
  }
  munmap(stack, kChildStackBytes);
  if (pid < 0) {
    return ResourceExhausted("spawn " + argv[0] + ": " + std::strerror(clone_error));
  }
  const int error = plan.error;
  if (error != 0) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (error == ENOENT || error == EACCES || error == ENOEXEC || error == ENOTDIR) {
      return NotFound(argv[0] + ": " + std::strerror(error));
    }
    return ResourceExhausted("spawn " + argv[0] + ": " + std::strerror(error));
  }
  SpawnedGroup group;
  group.pid_ = pid;
  group.pidfd_.Reset(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
  return group;
}

SpawnedGroup::SpawnedGroup(SpawnedGroup&& other) noexcept
    : pid_(other.pid_), pidfd_(std::move(other.pidfd_)) {
  other.pid_ = -1;
}

SpawnedGroup& SpawnedGroup::operator=(SpawnedGroup&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0) KillGroup();
    pid_ = other.pid_;
    pidfd_ = std::move(other.pidfd_);
    other.pid_ = -1;
  }
  return *this;
}

SpawnedGroup::~SpawnedGroup() {
  if (pid_ > 0) KillGroup();
}

std::optional<SpawnedExit> SpawnedGroup::TryReap() {
  if (pid_ <= 0) return std::nullopt;
  int status = 0;
  pid_t r;
  while ((r = waitpid(pid_, &status, WNOHANG)) < 0 && errno == EINTR) {
  }
  if (r != pid_) return std::nullopt;
  pid_ = -1;
  pidfd_.Reset();
  return Decode(status);
}

SpawnedExit SpawnedGroup::KillGroup() {
  if (pid_ <= 0) return {};
  // The group is named by the leader's pid, which stays ours until reaped.
  kill(-pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  pidfd_.Reset();
  return Decode(status);
}

}  // namespace parlab
