#pragma once
// The notebook's own Python, run beside parlab's figures: examples/python/*.py
// (each prints one JSON line) run by a python3 that has NumPy. Found once per
// tour; without such a python3 every Run() fails with kFailedPrecondition and
// the reason (sections print it and go on). Blocking; one thread.

#include <google/protobuf/struct.pb.h>

#include <optional>
#include <string>
#include <vector>

#include "shared/status.h"

namespace parlab {

class PythonRunner {
 public:
  // Looks for a python3 with NumPy: $PARLAB_PYTHON if set, else Debian's
  // /usr/bin/python3, else python3 in PATH (a pyenv shim may lack NumPy,
  // hence Debian's first). Scripts are in $PARLAB_PYTHON_EXAMPLES, else the
  // source tree's examples/python (known at build time).
  static PythonRunner Find();
  // A runner that never runs anything: `reason` says why.
  static PythonRunner Unavailable(std::string reason);

  bool available() const { return !python_.empty(); }
  // "/usr/bin/python3: Python 3.11.2, NumPy 1.24.2, threadpoolctl 3.1.0",
  // or why there is none.
  const std::string& description() const { return description_; }
  bool has_threadpoolctl() const { return has_threadpoolctl_; }

  // Runs examples/python/<script> with `args` and parses its last JSON line.
  Result<google::protobuf::Struct> Run(const std::string& script,
                                       const std::vector<std::string>& args,
                                       double timeout_s) const;

 private:
  std::string python_;  // empty: unavailable
  std::string scripts_dir_;
  std::string description_;
  bool has_threadpoolctl_ = false;
};

// A number field of a script's answer; nullopt when absent or not a number.
std::optional<double> JsonNumber(const google::protobuf::Struct& object, const std::string& key);
// A nested object field; nullptr when absent.
const google::protobuf::Struct* JsonObject(const google::protobuf::Struct& object,
                                           const std::string& key);
// A string field; "" when absent.
std::string JsonString(const google::protobuf::Struct& object, const std::string& key);
// A list of numbers (non-numbers skipped); empty when absent.
std::vector<double> JsonNumbers(const google::protobuf::Struct& object, const std::string& key);

}  // namespace parlab
