#include "coordinator/runtime/job_file.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string_view>
#include <utility>

#include "coordinator/runtime/job_spec.h"
#include "shared/kernels/kernel.h"
#include "shared/shm/wait_policy.h"

namespace parlab {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::TextFormat;

// A file larger than this is not a job file (a job file is a page or two).
constexpr std::streamsize kMaxJobFileBytes = 1 << 20;

// Keeps the parser's first error, 1-based, as "name:line:column: message".
class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  FirstError(const std::string& name, const std::string& text) : name_(name), text_(text) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (!error_.empty()) return;
    std::string field;
    const std::string what = Reworded(message, field);
    // Protobuf places an unknown field's error after its name; the name's
    // own column is where the user looks.
    if (!field.empty()) column = FieldColumn(line, column, field);
    error_ =
        name_ + ":" + std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " + what;
  }
  const std::string& error() const { return error_; }

 private:
  // Protobuf says `Message type "parlab.pb.JobFile" has no field named "wokers".`;
  // the house style names the field first. Sets `field` when it is that error.
  static std::string Reworded(const std::string& message, std::string& field) {
    const std::string head = "Message type \"";
    const std::string middle = "\" has no field named \"";
    const size_t type_end = message.find(middle);
    if (message.rfind(head, 0) != 0 || type_end == std::string::npos) return message;
    const std::string type = message.substr(head.size(), type_end - head.size());
    field = message.substr(type_end + middle.size());
    field = field.substr(0, field.find('"'));
    return "unknown field \"" + field + "\" in " + type;
  }

  // The last column at or before `column` of line `line` (0-based) where
  // `field` starts; `column` itself if it is not found there.
  int FieldColumn(int line, int column, const std::string& field) const {
    size_t start = 0;
    for (int i = 0; i < line && start != std::string::npos; ++i) {
      start = text_.find('\n', start);
      if (start != std::string::npos) ++start;
    }
    if (start == std::string::npos || field.empty()) return column;
    const std::string text_line = text_.substr(start, text_.find('\n', start) - start);
    const size_t at = text_line.rfind(field, static_cast<size_t>(std::max(0, column)));
    return at == std::string::npos ? column : static_cast<int>(at);
  }

  std::string name_;
  const std::string& text_;
  std::string error_;
};

// Where the fields of one message of the file are: presence (a field the
// file gave, even as 0) and the prefix of an error about it.
class Located {
 public:
  Located(const std::string& name, const TextFormat::ParseInfoTree* tree, const Descriptor* type)
      : name_(name), tree_(tree), type_(type) {}

  const FieldDescriptor* Field(std::string_view field) const {
    return type_ != nullptr ? type_->FindFieldByName(std::string(field)) : nullptr;
  }
  bool Has(std::string_view field) const {
    const FieldDescriptor* f = Field(field);
    return tree_ != nullptr && f != nullptr &&
           tree_->GetLocation(f, f->is_repeated() ? 0 : -1).line >= 0;
  }
  // "name:line:column: field: " for the field's `index`-th value (-1: not repeated).
  std::string At(std::string_view field, int index = -1) const {
    const FieldDescriptor* f = Field(field);
    if (tree_ != nullptr && f != nullptr) {
      auto where = tree_->GetLocation(f, f->is_repeated() && index < 0 ? 0 : index);
      // A list written as [a, b] has one location, its first value's.
      if (where.line < 0 && f->is_repeated()) where = tree_->GetLocation(f, 0);
      if (where.line >= 0) {
        return name_ + ":" + std::to_string(where.line + 1) + ":" +
               std::to_string(where.column + 1) + ": " + std::string(field) + ": ";
      }
    }
    return name_ + ": " + std::string(field) + ": ";
  }
  Located Nested(std::string_view field, int index = -1) const {
    const FieldDescriptor* f = Field(field);
    const TextFormat::ParseInfoTree* nested =
        tree_ != nullptr && f != nullptr ? tree_->GetTreeForNested(f, index) : nullptr;
    return Located(name_, nested, f != nullptr ? f->message_type() : nullptr);
  }
  Status Error(std::string_view field, const std::string& what, int index = -1) const {
    return InvalidArgument(At(field, index) + what);
  }

 private:
  std::string name_;
  const TextFormat::ParseInfoTree* tree_;
  const Descriptor* type_;
};

// Copies onto `params` the fields the file gave in `given` (located by
// `where`), so a field written as 0 is applied, and then checked, too.
Status ApplyParams(const pb::KernelParams& given, const Located& where, pb::KernelParams& params) {
  if (!given.kernel().empty()) {
    return where.Error("kernel", "leave it out: the job file's `workload` names the kernel");
  }
  const Descriptor* type = pb::KernelParams::descriptor();
  const auto* reflection = params.GetReflection();
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    if (!where.Has(field->name())) continue;
    // Field by field, not MergeFrom: a merge skips the zeros a file may give,
    // and a zero given is checked like any value.
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT64:
        reflection->SetInt64(&params, field, reflection->GetInt64(given, field));
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        reflection->SetUInt64(&params, field, reflection->GetUInt64(given, field));
        break;
      case FieldDescriptor::CPPTYPE_STRING:
        reflection->SetString(&params, field, reflection->GetString(given, field));
        break;
      default:
        return Internal("KernelParams." + field->name() + " has a type job files do not read");
    }
  }
  return Status::Ok();
}

// Which field of the file an error of ValidateJob is about: it names the
// field first ("workers must be ..."), a kernel's error the workload and
// then the field ("matmul: n must be ..."), the task list's "task 3: ...".
std::string LocateError(const Located& file, const pb::JobSpec& job,
                        const std::vector<int>& entry_of_task, const std::string& message) {
  struct Alias {
    std::string_view said;
    std::string_view field;
  };
  constexpr Alias kAliases[] = {
      {"switch-interval", "switch_interval_ms"}, {"max-attempts", "max_attempts"},
      {"task-timeout", "task_timeout_ms"},       {"heartbeat-timeout", "heartbeat_timeout_ms"},
      {"unknown workload", "workload"},          {"transport", "transport"},
  };
  for (const Alias& alias : kAliases) {
    if (message.rfind(alias.said, 0) == 0) return file.At(alias.field) + message;
  }
  const std::string first = message.substr(0, message.find_first_of(" :"));
  if (first == "task" && !entry_of_task.empty()) {
    const size_t number_end = message.find(':');
    const int task = std::atoi(message.c_str() + 5);
    if (number_end != std::string::npos && task >= 0 &&
        task < static_cast<int>(entry_of_task.size())) {
      return file.At("task", entry_of_task[static_cast<size_t>(task)]) + message;
    }
  }
  const std::string prefix = job.kernel().kernel() + ": ";
  if (message.rfind(prefix, 0) == 0) {
    const std::string rest = message.substr(prefix.size());
    const std::string field = rest.substr(0, rest.find_first_of(" :"));
    const Located params = file.Nested("params");
    if (params.Has(field)) return params.At(field) + message;
    return file.At("params") + message;
  }
  if (file.Field(first) != nullptr) return file.At(first) + message;
  return file.At("workload") + message;
}

Status ApplyShape(const pb::JobFile& in, const Located& file, pb::JobSpec& job) {
  if (file.Has("mode")) {
    Result<pb::Mode> mode = ParseMode(in.mode());
    if (!mode.ok()) return file.Error("mode", mode.status().message());
    job.set_mode(*mode);
  }
  if (file.Has("workers")) job.set_workers(in.workers());
  if (file.Has("threads")) job.set_threads(in.threads());
  if (file.Has("tasks")) job.set_tasks(in.tasks());
  if (file.Has("warmup")) job.set_warmup(in.warmup());
  if (file.Has("trials")) job.set_trials(in.trials());
  if (file.Has("inflight")) job.set_inflight(in.inflight());
  if (file.Has("switch_interval_ms")) job.set_switch_interval_ms(in.switch_interval_ms());
  if (file.Has("max_attempts")) job.set_max_attempts(in.max_attempts());
  if (file.Has("task_timeout_ms")) job.set_task_timeout_ms(in.task_timeout_ms());
  if (file.Has("heartbeat_timeout_ms")) job.set_heartbeat_timeout_ms(in.heartbeat_timeout_ms());
  if (file.Has("chunk")) {
    if (in.chunk() == "auto") {
      job.set_chunk(0);
    } else {
      int64_t chunk = 0;
      std::istringstream text(in.chunk());
      if (!(text >> chunk) || !text.eof() || chunk < 1 || chunk > kMaxChunk) {
        return file.Error("chunk", "must be 1.." + std::to_string(kMaxChunk) +
                                       " or \"auto\", got \"" + in.chunk() + "\"");
      }
      job.set_chunk(static_cast<int32_t>(chunk));
    }
  }
  if (file.Has("transport")) {
    if (in.transport() == "shm") {
      job.set_transport(pb::SHM);
    } else if (in.transport() == "uds") {
      job.set_transport(pb::UDS);
    } else {
      return file.Error("transport", "must be shm or uds, got \"" + in.transport() + "\"");
    }
  }
  if (file.Has("wait")) {
    Result<WaitPolicy> wait = ParseWaitPolicy(in.wait());
    if (!wait.ok()) return file.Error("wait", wait.status().message());
    job.set_wait(ToProto(*wait));
  }
  return Status::Ok();
}

// The task list, expanded: one KernelParams per task; entry_of_task[i] is
// the index of the `task` entry task i comes from (for errors).
Status ApplyTasks(const pb::JobFile& in, const Located& file, pb::JobSpec& job,
                  std::vector<int>& entry_of_task) {
  if (in.task_size() == 0) return Status::Ok();
  int64_t listed_bytes = 0;
  for (int e = 0; e < in.task_size(); ++e) {
    const pb::JobFileTask& entry = in.task(e);
    const Located where = file.Nested("task", e);
    if (entry.command_size() > 0) {
      return InvalidArgument(where.At("command") +
                             "command tasks are not in this build yet; a task here runs the "
                             "job's workload with its own params");
    }
    const int64_t repeat = where.Has("repeat") ? entry.repeat() : 1;
    const int64_t room = kMaxListedTasks - static_cast<int64_t>(entry_of_task.size());
    if (repeat < 1 || repeat > room) {
      return where.Error("repeat", "must be 1.." + std::to_string(room) + " (a task list holds " +
                                       std::to_string(kMaxListedTasks) +
                                       " tasks in all; for more tasks alike, leave the list "
                                       "out and set tasks), got " +
                                       std::to_string(repeat));
    }
    pb::KernelParams params = job.kernel();
    PARLAB_RETURN_IF_ERROR(ApplyParams(entry.params(), where.Nested("params"), params));
    listed_bytes += repeat * static_cast<int64_t>(params.ByteSizeLong() + 1);
    if (listed_bytes > kMaxListedBytes) {
      return where.Error("repeat", "the task list would hold more than " +
                                       std::to_string(kMaxListedBytes >> 20) +
                                       " MiB of task params; list fewer tasks or shorter params");
    }
    for (int64_t r = 0; r < repeat; ++r) {
      *job.add_task_kernels() = params;
      entry_of_task.push_back(e);
    }
  }
  const auto listed = static_cast<int64_t>(entry_of_task.size());
  if (file.Has("tasks") && in.tasks() != listed) {
    return file.Error("tasks", "the task list makes " + std::to_string(listed) +
                                   " tasks, but tasks says " + std::to_string(in.tasks()) +
                                   "; leave tasks out");
  }
  job.set_tasks(listed);
  return Status::Ok();
}

Result<JobGrid> ParseGrid(const pb::JobFile& in, const Located& file, const pb::JobSpec& job) {
  JobGrid grid;
  if (!file.Has("grid")) return grid;
  const Located where = file.Nested("grid");
  const pb::JobFileGrid& g = in.grid();
  if (g.sizes_size() > 0) {
    if (JobSizeField(job.kernel().kernel()).empty()) {
      return where.Error("sizes", job.kernel().kernel() +
                                      " has no single size to vary; list tasks or write a file "
                                      "per size");
    }
    if (job.task_kernels_size() > 0) {
      return where.Error("sizes", "a task list gives each task its own size; leave sizes out");
    }
  }
  for (int i = 0; i < g.sizes_size(); ++i) {
    if (g.sizes(i) < 1) {
      return where.Error("sizes", "must be at least 1, got " + std::to_string(g.sizes(i)), i);
    }
    Result<pb::KernelParams> sized = WithJobSize(job.kernel(), g.sizes(i));
    Status valid = sized.ok() ? FindKernel(sized->kernel())->Validate(*sized) : sized.status();
    if (!valid.ok()) return where.Error("sizes", valid.message(), i);
    grid.sizes.push_back(g.sizes(i));
  }
  for (int i = 0; i < g.modes_size(); ++i) {
    Result<pb::Mode> mode = ParseMode(g.modes(i));
    if (!mode.ok()) return where.Error("modes", mode.status().message(), i);
    grid.modes.push_back(*mode);
  }
  for (int i = 0; i < g.workers_size(); ++i) {
    if (g.workers(i) < 1 || g.workers(i) > static_cast<int>(kMaxWorkers)) {
      return where.Error(
          "workers",
          "must be 1.." + std::to_string(kMaxWorkers) + ", got " + std::to_string(g.workers(i)), i);
    }
    grid.workers.push_back(g.workers(i));
  }
  if (grid.empty()) return file.Error("grid", "give at least one of sizes, modes, workers");
  // The plan holds a copy of the job per point, its task list included.
  const auto points = static_cast<int64_t>(std::max<size_t>(1, grid.sizes.size()) *
                                           std::max<size_t>(1, grid.modes.size()) *
                                           std::max<size_t>(1, grid.workers.size()));
  if (points > kMaxGridJobs) {
    return file.Error("grid", "makes " + std::to_string(points) + " jobs; at most " +
                                  std::to_string(kMaxGridJobs) + " (split it into files)");
  }
  if (job.task_kernels_size() > 0 &&
      points * static_cast<int64_t>(job.ByteSizeLong()) > kMaxListedBytes) {
    return file.Error("grid", "makes " + std::to_string(points) + " copies of a task list of " +
                                  std::to_string(job.task_kernels_size()) + " tasks, more than " +
                                  std::to_string(kMaxListedBytes >> 20) +
                                  " MiB in all; list fewer tasks or split the grid");
  }
  return grid;
}

}  // namespace

std::string JobSizeField(const std::string& workload) {
  const Kernel* kernel = FindKernel(workload);
  if (kernel == nullptr) return "";
  const pb::KernelParams defaults = kernel->Defaults();
  if (defaults.n() > 0) return "n";
  if (defaults.us() > 0) return "us";
  if (defaults.ms() > 0) return "ms";
  return "";
}

Result<pb::KernelParams> WithJobSize(const pb::KernelParams& params, int64_t size) {
  const std::string field = JobSizeField(params.kernel());
  pb::KernelParams sized = params;
  if (field == "n") {
    sized.set_n(size);
  } else if (field == "us") {
    sized.set_us(size);
  } else if (field == "ms") {
    sized.set_ms(size);
  } else {
    return InvalidArgument(params.kernel() + " has no single size to set");
  }
  return sized;
}

Result<JobFileSpec> ParseJobFile(const std::string& text, const std::string& name) {
  pb::JobFile in;
  TextFormat::Parser parser;
  FirstError errors(name, text);
  TextFormat::ParseInfoTree tree;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  if (!parser.ParseFromString(text, &in)) {
    return InvalidArgument(errors.error().empty() ? name + ": not a job file" : errors.error());
  }
  const Located file(name, &tree, pb::JobFile::descriptor());

  JobFileSpec spec;
  pb::JobSpec& job = spec.job;
  job = DefaultJob();
  const std::string workload = file.Has("workload") ? in.workload() : "loop";
  const Kernel* kernel = FindKernel(workload);
  if (kernel == nullptr) {
    return file.Error("workload", "unknown workload '" + workload + "'; known: " + KernelNames());
  }
  *job.mutable_kernel() = kernel->Defaults();
  PARLAB_RETURN_IF_ERROR(ApplyParams(in.params(), file.Nested("params"), *job.mutable_kernel()));
  PARLAB_RETURN_IF_ERROR(ApplyShape(in, file, job));
  std::vector<int> entry_of_task;
  PARLAB_RETURN_IF_ERROR(ApplyTasks(in, file, job, entry_of_task));
  PARLAB_ASSIGN_OR_RETURN(spec.grid, ParseGrid(in, file, job));
  spec.threads_given = file.Has("threads");

  // Everything else as ValidateJob sees it; tasks left out is "calibrate",
  // as for the flags (a 0 written is refused, as --tasks 0 is).
  pb::JobSpec check = job;
  if (check.tasks() == 0 && !file.Has("tasks")) check.set_tasks(1);
  if (Status s = ValidateJob(check); !s.ok()) {
    return Status(s.code(), LocateError(file, job, entry_of_task, s.message()));
  }
  return spec;
}

Result<JobFileSpec> LoadJobFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("--job: cannot read " + path);
  std::string text(static_cast<size_t>(kMaxJobFileBytes) + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return InvalidArgument("--job: cannot read " + path);
  text.resize(static_cast<size_t>(in.gcount()));
  if (static_cast<std::streamsize>(text.size()) > kMaxJobFileBytes) {
    return InvalidArgument("--job: " + path + " is larger than " +
                           std::to_string(kMaxJobFileBytes) + " bytes: not a job file");
  }
  return ParseJobFile(text, path);
}

}  // namespace parlab
