#pragma once
// UniqueFd: the one owner of a file descriptor, closed in its destructor, so
// a pipe or socket end is released on every exit path (an end that stays open
// by mistake is a hang: the reader never sees end of stream). Move-only, like
// std::unique_ptr. Not synchronised: one owner, one thread at a time.
//
// ReadToEnd: what a pipe or socket delivers until its writer closes it, with
// a deadline, so a peer that hangs while holding its end cannot hang us. (To
// write all of a message, shared/wire.h's WriteAll.)

#include <cstdint>
#include <string>

#include "shared/status.h"

namespace parlab {

class UniqueFd {
 public:
  UniqueFd() = default;  // owns nothing
  // Takes ownership of `fd` (-1: nothing).
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.Release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) Reset(other.Release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { Reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

  // Gives the descriptor up without closing it; the caller owns it now.
  int Release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  // Closes the descriptor held (if any) and takes `fd` instead.
  void Reset(int fd = -1);

 private:
  int fd_ = -1;
};

// Reads `fd` until end of stream. Errors: kDeadlineExceeded once NowNs()
// passes deadline_ns (< 0: no deadline), with what arrived before dropped;
// kInternal for a read or poll error. EINTR is retried.
Result<std::string> ReadToEnd(int fd, int64_t deadline_ns);

}  // namespace parlab
