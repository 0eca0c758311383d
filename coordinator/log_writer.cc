#include "coordinator/log_writer.h"

#include <google/protobuf/util/json_util.h>

#include <cerrno>
#include <cstring>

#include "coordinator/env_report.h"
#include "shared/clock.h"

namespace parlab {

pb::TaskRecord ToProto(const TaskRecord& r) {
  pb::TaskRecord p;
  p.set_id(r.id);
  p.set_trial(r.trial);
  p.set_worker(r.worker);
  p.set_attempt(r.attempt);
  p.set_status(static_cast<pb::TaskStatus>(r.outcome));
  p.set_checksum(r.checksum);
  p.set_signal(r.signal);
  p.set_t_submit_ns(r.t.submit_ns);
  p.set_t_enqueued_ns(r.t.enqueued_ns);
  p.set_t_dequeued_ns(r.t.dequeued_ns);
  p.set_t_decoded_ns(r.t.decoded_ns);
  p.set_t_compute_start_ns(r.t.compute_start_ns);
  p.set_t_compute_end_ns(r.t.compute_end_ns);
  p.set_t_result_enqueued_ns(r.t.result_enqueued_ns);
  p.set_t_result_dequeued_ns(r.t.result_dequeued_ns);
  return p;
}

Result<std::unique_ptr<LogWriter>> LogWriter::Open(const std::string& path,
                                                   const pb::JobSpec& job) {
  std::FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) {
    return InvalidArgument("cannot write the log " + path + ": " + std::strerror(errno));
  }
  std::unique_ptr<LogWriter> writer(new LogWriter(path, file));
  pb::LogHeader header;
  header.set_version(kLogVersion);
  *header.mutable_job() = job;
  header.set_env_json(EnvReportJson());
  header.set_t_start_ns(NowNs());
  PARLAB_RETURN_IF_ERROR(writer->WriteLine(header));
  return writer;
}

LogWriter::~LogWriter() { (void)Close(); }

Status LogWriter::WriteLine(const google::protobuf::Message& message) {
  line_.clear();
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  if (!google::protobuf::util::MessageToJsonString(message, &line_, options).ok()) {
    return Internal("cannot print a log line as JSON");
  }
  line_ += '\n';
  if (std::fwrite(line_.data(), 1, line_.size(), file_) != line_.size()) {
    return Unavailable("cannot write the log " + path_ + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Status LogWriter::Append(const std::vector<TaskRecord>& records) {
  for (const TaskRecord& record : records) PARLAB_RETURN_IF_ERROR(WriteLine(ToProto(record)));
  if (std::fflush(file_) != 0) {
    return Unavailable("cannot write the log " + path_ + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Status LogWriter::Close() {
  if (file_ == nullptr) return Status::Ok();
  const int result = std::fclose(file_);
  file_ = nullptr;
  if (result != 0) return Unavailable("cannot close the log " + path_ + ": " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace parlab
