#pragma once
// Status and Result<T>: errors as values at every boundary (leveldb's Status,
// abseil's StatusOr). Codes borrow abseil's retry meanings: kUnavailable means
// "a worker died, retrying may succeed"; kFailedPrecondition means "do not retry".
// Immutable values; safe to copy between threads.

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace parlab {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kFailedPrecondition,
  kUnavailable,
  kResourceExhausted,
  kDeadlineExceeded,
  kInternal,
  kCancelled,  // the user interrupted the run (SIGINT, SIGTERM)
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid argument: workers must be 1..1024, got 0"
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status FailedPrecondition(std::string m) {
  return {StatusCode::kFailedPrecondition, std::move(m)};
}
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status ResourceExhausted(std::string m) {
  return {StatusCode::kResourceExhausted, std::move(m)};
}
inline Status DeadlineExceeded(std::string m) {
  return {StatusCode::kDeadlineExceeded, std::move(m)};
}
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
inline Status Cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }

// Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  std::optional<T> value_;
  Status status_;  // OK exactly when value_ holds a value
};

}  // namespace parlab

// Returns early from the enclosing function with the status when it is not OK.
#define PARLAB_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::parlab::Status parlab_status_ = (expr);        \
    if (!parlab_status_.ok()) return parlab_status_; \
  } while (0)

// `PARLAB_ASSIGN_OR_RETURN(T name, ResultExpr);` evaluates a Result<T>, returns
// its status from the enclosing function when it is not OK, and otherwise
// moves its value into the declaration (or assignment) on the left. The
// enclosing function returns Status or any Result<U>. A statement, not an
// expression: it declares a hidden local named after the line.
#define PARLAB_ASSIGN_OR_RETURN(lhs, rexpr) \
  PARLAB_ASSIGN_OR_RETURN_IMPL_(PARLAB_STATUS_CONCAT_(parlab_result_, __LINE__), lhs, rexpr)

#define PARLAB_ASSIGN_OR_RETURN_IMPL_(result, lhs, rexpr) \
  auto result = (rexpr);                                  \
  if (!result.ok()) return result.status();               \
  lhs = std::move(result).value()
#define PARLAB_STATUS_CONCAT_(a, b) PARLAB_STATUS_CONCAT_INNER_(a, b)
#define PARLAB_STATUS_CONCAT_INNER_(a, b) a##b
