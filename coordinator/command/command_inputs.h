#pragma once
// The inputs of a command job, one per line: from a file, from stdin as a
// stream (`--inputs -`: tasks start while the list is still being written),
// or from the command line (`::: a b c`).
//
// A file or stdin is read by a thread of its own, so the coordinator never
// waits on it; the coordinator takes what has arrived with TakeNew. Lines
// end at '\n' (a last line without one counts; an empty line is an input,
// as in GNU parallel). The reading thread shares its state with this object
// and is detached on destruction, so a stdin that never ends cannot keep
// parlab from finishing a halted job.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "shared/status.h"

namespace parlab {

class CommandInputs {
 public:
  // Starts reading `path` ("-": stdin). An unreadable file is an error
  // naming --inputs.
  static Result<std::unique_ptr<CommandInputs>> Read(const std::string& path);
  // Inputs known at once (the ::: arguments).
  static std::unique_ptr<CommandInputs> Fixed(std::vector<std::string> inputs);
  ~CommandInputs();
  CommandInputs(const CommandInputs&) = delete;
  CommandInputs& operator=(const CommandInputs&) = delete;

  // Moves the inputs that arrived since the last call to the end of `out`;
  // returns how many. Does not wait.
  size_t TakeNew(std::vector<std::string>& out);
  // Every input has arrived and been taken.
  bool Ended() const;
  // The read failed part-way (the error names the path); ok otherwise.
  Status status() const;

  struct State;

 private:
  explicit CommandInputs(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

}  // namespace parlab
