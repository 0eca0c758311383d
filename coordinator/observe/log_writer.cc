#include "coordinator/observe/log_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <iterator>

#include "coordinator/report/env_report_json.h"
#include "coordinator/report/json_output.h"
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
  pb::LogHeader& header = writer->header_;
  header.set_version(kLogVersion);
  *header.mutable_job() = job;
  header.set_env_json(EnvReportJson());
  header.set_t_start_ns(NowNs());
  header.set_stamp_clock(EncodeStampClock(CurrentStampClock()));
  if (job.transport() == pb::MPI) {
    // Room for every worker's place with both clock estimates (~400 bytes
    // each as JSON), rewritten by SetPlaces.
    const std::string probe = ToJson(header);
    constexpr size_t kBytesPerPlace = 1024;
    writer->header_bytes_ =
        probe.size() + 1024 + kBytesPerPlace * static_cast<size_t>(std::max(1, job.workers()));
  }
  PARLAB_RETURN_IF_ERROR(writer->WriteHeader());
  return writer;
}

std::string PlaceFields(const std::string& host, const std::string& path) {
  pb::TaskRecord fields;
  fields.set_host(host);
  fields.set_path(path);
  const std::string json = ToJson(fields);
  // host and path are the record's last fields: the printer ends with them.
  const size_t at = json.rfind(",\"host\":");
  if (at == std::string::npos || json.empty() || json.back() != '}') {
    return std::string(kNoPlaceFields);
  }
  return json.substr(at + 1, json.size() - at - 2);
}

Status LogWriter::WriteHeader() {
  // ToJson: the header's strings (the job's, the machine's) made valid UTF-8.
  line_ = ToJson(header_);
  if (header_bytes_ > 0) {
    if (line_.size() + 1 > header_bytes_) {
      return Internal("the log header of " + path_ + " outgrew its room (" +
                      std::to_string(line_.size()) + " > " + std::to_string(header_bytes_) +
                      " bytes)");
    }
    line_.resize(header_bytes_ - 1, ' ');  // JSON ignores trailing white space
  }
  line_ += '\n';
  if (std::fseek(file_, 0, SEEK_SET) != 0 ||
      std::fwrite(line_.data(), 1, line_.size(), file_) != line_.size() ||
      std::fseek(file_, 0, SEEK_END) != 0 || std::fflush(file_) != 0) {
    return Unavailable("cannot write the log " + path_ + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Status LogWriter::SetPlaces(const std::vector<pb::WorkerPlace>& places) {
  header_.clear_places();
  place_fields_.clear();
  for (const pb::WorkerPlace& place : places) {
    *header_.add_places() = place;
    const auto worker = static_cast<size_t>(std::max(0, place.worker()));
    if (place_fields_.size() <= worker) place_fields_.resize(worker + 1, "");
    place_fields_[worker] = PlaceFields(place.host(), place.path());
  }
  return WriteHeader();
}

LogWriter::~LogWriter() { (void)Close(); }

void AppendRecordLine(const TaskRecord& r, std::string& out, std::string_view place_fields) {
  auto it = std::back_inserter(out);
  fmt::format_to(it, "{{\"id\":\"{}\",\"trial\":{},\"worker\":{},\"attempt\":{},\"status\":", r.id,
                 r.trial, r.worker, r.attempt);
  const auto status = static_cast<int>(r.outcome);
  if (pb::TaskStatus_IsValid(status)) {
    fmt::format_to(it, "\"{}\"", pb::TaskStatus_Name(static_cast<pb::TaskStatus>(status)));
  } else {
    fmt::format_to(it, "{}", status);
  }
  // As protobuf prints a double: NaN and the infinities are strings.
  if (std::isnan(r.checksum)) {
    out += ",\"error\":\"\",\"checksum\":\"NaN\"";
  } else if (std::isinf(r.checksum)) {
    out += r.checksum > 0 ? ",\"error\":\"\",\"checksum\":\"Infinity\""
                          : ",\"error\":\"\",\"checksum\":\"-Infinity\"";
  } else {
    fmt::format_to(it, ",\"error\":\"\",\"checksum\":{}", r.checksum);
  }
  const TaskStamps& t = r.t;
  fmt::format_to(
      it,
      ",\"t_submit_ns\":\"{}\",\"t_enqueued_ns\":\"{}\",\"t_dequeued_ns\":\"{}\","
      "\"t_decoded_ns\":\"{}\",\"t_compute_start_ns\":\"{}\",\"t_compute_end_ns\":\"{}\","
      "\"t_result_enqueued_ns\":\"{}\",\"t_result_dequeued_ns\":\"{}\",\"signal\":{},{}}}\n",
      t.submit_ns, t.enqueued_ns, t.dequeued_ns, t.decoded_ns, t.compute_start_ns, t.compute_end_ns,
      t.result_enqueued_ns, t.result_dequeued_ns, r.signal, place_fields);
}

Status LogWriter::Append(const std::vector<TaskRecord>& records) {
  // Formatted directly rather than through ToProto and protobuf's printer
  // (~20 µs a record): the same JSON, so a million-task log takes seconds, not minutes.
  line_.clear();
  for (const TaskRecord& record : records) {
    const auto worker = static_cast<size_t>(record.worker);
    AppendRecordLine(record, line_,
                     record.worker >= 0 && worker < place_fields_.size()
                         ? std::string_view(place_fields_[worker])
                         : kNoPlaceFields);
    if (line_.size() >= (1 << 20)) {
      if (std::fwrite(line_.data(), 1, line_.size(), file_) != line_.size()) {
        return Unavailable("cannot write the log " + path_ + ": " + std::strerror(errno));
      }
      line_.clear();
    }
  }
  if (std::fwrite(line_.data(), 1, line_.size(), file_) != line_.size()) {
    return Unavailable("cannot write the log " + path_ + ": " + std::strerror(errno));
  }
  if (std::fflush(file_) != 0) {
    return Unavailable("cannot write the log " + path_ + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

void AppendFullRecordLine(const pb::TaskRecord& record, std::string& out) {
  // Protobuf's printer (json_output.h), ~20 µs: small beside a process's start.
  out += ToJson(record);
  out += '\n';
}

Status LogWriter::AppendFull(const pb::TaskRecord& record) {
  line_.clear();
  AppendFullRecordLine(record, line_);
  if (std::fwrite(line_.data(), 1, line_.size(), file_) != line_.size() ||
      std::fflush(file_) != 0) {
    return Unavailable("cannot write the log " + path_ + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Status LogWriter::Close() {
  if (file_ == nullptr) return Status::Ok();
  const int result = std::fclose(file_);
  file_ = nullptr;
  if (result != 0)
    return Unavailable("cannot close the log " + path_ + ": " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace parlab
