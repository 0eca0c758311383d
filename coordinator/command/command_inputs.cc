#include "coordinator/command/command_inputs.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

namespace parlab {

struct CommandInputs::State {
  std::mutex mutex;
  std::vector<std::string> arrived;  // under mutex
  Status status;                     // under mutex
  std::atomic<bool> more{false};     // arrived is not empty: TakeNew has something
  std::atomic<bool> ended{false};    // the reader is done (arrived may still hold lines)
};

namespace {

// Hands lines over in batches, so a fast file costs few lock round trips.
constexpr size_t kBatchLines = 256;

void ReadLines(std::FILE* file, bool own, std::string path,
               std::shared_ptr<CommandInputs::State> state) {
  std::vector<std::string> batch;
  char* line = nullptr;
  size_t capacity = 0;
  auto hand_over = [&] {
    std::lock_guard<std::mutex> guard(state->mutex);
    for (std::string& l : batch) state->arrived.push_back(std::move(l));
    batch.clear();
    state->more.store(!state->arrived.empty(), std::memory_order_release);
  };
  for (;;) {
    errno = 0;
    const ssize_t n = getline(&line, &capacity, file);
    if (n < 0) {
      if (errno != 0 && errno != EINTR) {
        std::lock_guard<std::mutex> guard(state->mutex);
        state->status = Unavailable("--inputs " + path + ": " + std::strerror(errno));
      }
      break;
    }
    size_t length = static_cast<size_t>(n);
    if (length > 0 && line[length - 1] == '\n') --length;
    batch.emplace_back(line, length);
    // A stream hands each line over at once (its writer may be slow); a
    // file in batches.
    if (batch.size() >= kBatchLines || !own) hand_over();
  }
  std::free(line);
  if (own) std::fclose(file);
  hand_over();
  state->ended.store(true, std::memory_order_release);
}

}  // namespace

Result<std::unique_ptr<CommandInputs>> CommandInputs::Read(const std::string& path) {
  const bool from_stdin = path == "-";
  std::FILE* file = from_stdin ? stdin : std::fopen(path.c_str(), "re");
  if (file == nullptr) {
    return InvalidArgument("--inputs: cannot read " + path + ": " + std::strerror(errno));
  }
  auto state = std::make_shared<State>();
  std::thread(ReadLines, file, !from_stdin, from_stdin ? std::string("(stdin)") : path, state)
      .detach();
  return std::unique_ptr<CommandInputs>(new CommandInputs(std::move(state)));
}

std::unique_ptr<CommandInputs> CommandInputs::Fixed(std::vector<std::string> inputs) {
  auto state = std::make_shared<State>();
  state->arrived = std::move(inputs);
  state->more.store(!state->arrived.empty());
  state->ended.store(true);
  return std::unique_ptr<CommandInputs>(new CommandInputs(std::move(state)));
}

CommandInputs::~CommandInputs() = default;

size_t CommandInputs::TakeNew(std::vector<std::string>& out) {
  if (!state_->more.load(std::memory_order_acquire)) return 0;
  std::lock_guard<std::mutex> guard(state_->mutex);
  const size_t count = state_->arrived.size();
  for (std::string& line : state_->arrived) out.push_back(std::move(line));
  state_->arrived.clear();
  state_->more.store(false, std::memory_order_release);
  return count;
}

bool CommandInputs::Ended() const {
  // ended before more: a hand-over after our look at `more` came before `ended`.
  return state_->ended.load(std::memory_order_acquire) &&
         !state_->more.load(std::memory_order_acquire);
}

Status CommandInputs::status() const {
  std::lock_guard<std::mutex> guard(state_->mutex);
  return state_->status;
}

}  // namespace parlab
