#include "coordinator/notebook/tour_python.h"

#include <google/protobuf/util/json_util.h>

#include <cstdlib>
#include <utility>

#include "shared/platform/subprocess.h"

#ifndef PARLAB_PYTHON_EXAMPLES_DIR
#define PARLAB_PYTHON_EXAMPLES_DIR "examples/python"
#endif

namespace parlab {
namespace {

Result<google::protobuf::Struct> ParseAnswer(const std::string& output, const std::string& what) {
  const std::string line = LastJsonLine(output);
  if (line.empty()) return Internal(what + " printed no JSON line");
  google::protobuf::Struct answer;
  if (!google::protobuf::util::JsonStringToMessage(line, &answer).ok()) {
    return Internal(what + " printed malformed JSON: " + line.substr(0, 200));
  }
  return answer;
}

}  // namespace

PythonRunner PythonRunner::Unavailable(std::string reason) {
  PythonRunner runner;
  runner.description_ = std::move(reason);
  return runner;
}

PythonRunner PythonRunner::Find() {
  std::vector<std::string> candidates;
  if (const char* chosen = std::getenv("PARLAB_PYTHON"); chosen != nullptr && *chosen != '\0') {
    candidates.push_back(chosen);
  } else {
    candidates = {"/usr/bin/python3", "python3"};
  }
  std::string scripts_dir = PARLAB_PYTHON_EXAMPLES_DIR;
  if (const char* dir = std::getenv("PARLAB_PYTHON_EXAMPLES"); dir != nullptr && *dir != '\0') {
    scripts_dir = dir;
  }
  std::string why = "no python3 found";
  for (const std::string& python : candidates) {
    Result<std::string> out = RunSubprocess({python, scripts_dir + "/versions.py"}, 30);
    if (!out.ok()) {
      why = python + ": " + out.status().message();
      continue;
    }
    Result<google::protobuf::Struct> versions = ParseAnswer(*out, python + " versions.py");
    if (!versions.ok()) {
      why = versions.status().message();
      continue;
    }
    const std::string numpy = JsonString(*versions, "numpy");
    if (numpy.empty()) {
      why = python + " (Python " + JsonString(*versions, "python") + ") has no NumPy";
      continue;
    }
    PythonRunner runner;
    runner.python_ = python;
    runner.scripts_dir_ = scripts_dir;
    const std::string threadpoolctl = JsonString(*versions, "threadpoolctl");
    runner.has_threadpoolctl_ = !threadpoolctl.empty();
    runner.description_ = python + ": Python " + JsonString(*versions, "python") + ", NumPy " +
                          numpy + ", threadpoolctl " +
                          (threadpoolctl.empty() ? "absent" : threadpoolctl);
    return runner;
  }
  return Unavailable(why + " (install python3-numpy to see the notebook's own figures)");
}

Result<google::protobuf::Struct> PythonRunner::Run(const std::string& script,
                                                   const std::vector<std::string>& args,
                                                   double timeout_s) const {
  if (!available()) return FailedPrecondition("Python not run: " + description_);
  std::vector<std::string> argv = {python_, scripts_dir_ + "/" + script};
  argv.insert(argv.end(), args.begin(), args.end());
  PARLAB_ASSIGN_OR_RETURN(std::string out, RunSubprocess(std::move(argv), timeout_s));
  return ParseAnswer(out, script);
}

std::optional<double> JsonNumber(const google::protobuf::Struct& object, const std::string& key) {
  const auto it = object.fields().find(key);
  if (it == object.fields().end() || !it->second.has_number_value()) return std::nullopt;
  return it->second.number_value();
}

const google::protobuf::Struct* JsonObject(const google::protobuf::Struct& object,
                                           const std::string& key) {
  const auto it = object.fields().find(key);
  if (it == object.fields().end() || !it->second.has_struct_value()) return nullptr;
  return &it->second.struct_value();
}

std::string JsonString(const google::protobuf::Struct& object, const std::string& key) {
  const auto it = object.fields().find(key);
  if (it == object.fields().end() || !it->second.has_string_value()) return "";
  return it->second.string_value();
}

std::vector<double> JsonNumbers(const google::protobuf::Struct& object, const std::string& key) {
  std::vector<double> out;
  const auto it = object.fields().find(key);
  if (it == object.fields().end() || !it->second.has_list_value()) return out;
  for (const auto& value : it->second.list_value().values()) {
    if (value.has_number_value()) out.push_back(value.number_value());
  }
  return out;
}

}  // namespace parlab
