// The Chrome trace: parsed back with protobuf's JSON parser (into a Struct),
// it has the process and thread names, one complete slice per phase of each
// task on the right process, slices that nest on every thread, and one flow
// (s → t → f) per task whose events sit inside their slices.
#include "coordinator/observe/trace_writer.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "coordinator/runtime/job_spec.h"

namespace parlab {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

constexpr int64_t kUs = 1000;

// Two workers, 2 tasks in flight each, so queued tasks overlap the running
// ones and answers of both workers travel at once.
std::vector<TaskRecord> OverlappingRecords(int tasks_per_worker) {
  std::vector<TaskRecord> records;
  const int64_t t0 = 5'000'000'000;
  for (int32_t w = 0; w < 2; ++w) {
    int64_t free_ns = t0;  // when the worker finished its previous task
    for (int k = 0; k < tasks_per_worker; ++k) {
      TaskRecord r;
      r.id = static_cast<uint64_t>(w * 1000 + k);
      r.worker = w;
      r.trial = 0;
      TaskStamps& t = r.t;
      // Task k is sent when task k-2 of the worker answered (inflight 2).
      t.submit_ns = t0 + (k < 2 ? k * 300 : (k - 1) * 20 * kUs) + w * 100;
      t.enqueued_ns = t.submit_ns + 1 * kUs + k;
      t.dequeued_ns = std::max(t.enqueued_ns + 2 * kUs, free_ns + 500);
      t.decoded_ns = t.dequeued_ns + 700;
      t.compute_start_ns = t.decoded_ns + 100;
      t.compute_end_ns = t.compute_start_ns + 15 * kUs;
      t.result_enqueued_ns = t.compute_end_ns + 400;
      t.result_dequeued_ns = t.result_enqueued_ns + 3 * kUs;
      free_ns = t.result_enqueued_ns;
      records.push_back(r);
    }
  }
  return records;
}

Struct ParseFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  Struct root;
  const auto status = google::protobuf::util::JsonStringToMessage(text.str(), &root);
  EXPECT_TRUE(status.ok()) << status.message();
  return root;
}

double Number(const Struct& s, const std::string& key) {
  auto it = s.fields().find(key);
  EXPECT_NE(it, s.fields().end()) << key;
  return it == s.fields().end() ? -1 : it->second.number_value();
}

std::string Text(const Struct& s, const std::string& key) {
  auto it = s.fields().find(key);
  return it == s.fields().end() ? "" : it->second.string_value();
}

struct SliceSeen {
  double ts, end;
  std::string name;
};

class TraceWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "trace_writer_test_" + std::to_string(getpid()) + ".json";
  }
  void TearDown() override { std::remove(path_.c_str()); }
  std::string path_;
};

TEST_F(TraceWriterTest, EventsAreWellFormedAndPaired) {
  const int per_worker = 12;
  const std::vector<TaskRecord> records = OverlappingRecords(per_worker);
  pb::JobSpec job = DefaultJob();
  job.set_mode(pb::PROCS);
  job.set_tasks(2 * per_worker);
  TraceOptions options;
  options.source = "test";
  ASSERT_TRUE(WriteTrace(path_, job, records, options).ok());

  const Struct root = ParseFile(path_);
  ASSERT_TRUE(root.fields().count("traceEvents"));
  ASSERT_TRUE(root.fields().count("metadata"));
  const Struct& metadata = root.fields().at("metadata").struct_value();
  EXPECT_EQ(Text(metadata, "source"), "test");
  EXPECT_EQ(Text(metadata, "tasks_traced"), std::to_string(2 * per_worker));  // int64: a string
  const Struct& job_json = metadata.fields().at("job").struct_value();
  EXPECT_EQ(Text(job_json, "mode"), "PROCS");
  EXPECT_EQ(Text(job_json, "tasks"), std::to_string(2 * per_worker));  // int64: a JSON string

  std::map<double, std::string> process_names;
  std::map<std::pair<double, double>, std::string> thread_names;
  std::map<std::pair<double, double>, std::vector<SliceSeen>> slices;  // by (pid, tid)
  std::map<std::string, int> slice_names;
  std::map<double, std::string> flow_phases;  // id → the phases seen, in order
  std::vector<Struct> flows;
  for (const Value& value : root.fields().at("traceEvents").list_value().values()) {
    const Struct& e = value.struct_value();
    const std::string ph = Text(e, "ph");
    const double pid = Number(e, "pid");
    const double tid = Number(e, "tid");
    if (ph == "M") {
      const std::string name = Text(e.fields().at("args").struct_value(), "name");
      if (Text(e, "name") == "process_name") process_names[pid] = name;
      if (Text(e, "name") == "thread_name") thread_names[{pid, tid}] = name;
    } else if (ph == "X") {
      const double ts = Number(e, "ts");
      const double dur = Number(e, "dur");
      EXPECT_GE(ts, 0);
      EXPECT_GE(dur, 0);
      const std::string name = Text(e, "name");
      ++slice_names[name];
      const bool on_coordinator = name == "encode" || name == "return";
      EXPECT_EQ(pid == 1, on_coordinator) << name << " on pid " << pid;
      const Struct& args = e.fields().at("args").struct_value();
      if (!on_coordinator) {
        EXPECT_EQ(pid, 2 + Number(args, "worker"));
      }
      slices[{pid, tid}].push_back({ts, ts + dur, name});
    } else if (ph == "s" || ph == "t" || ph == "f") {
      flow_phases[Number(e, "id")] += ph;
      if (ph == "f") {
        EXPECT_EQ(Text(e, "bp"), "e");
      }
      flows.push_back(e);
    } else {
      ADD_FAILURE() << "unexpected phase " << ph;
    }
  }
  EXPECT_EQ(process_names[1], "coordinator");
  EXPECT_EQ(process_names[2], "worker 0");
  EXPECT_EQ(process_names[3], "worker 1");
  for (const char* name : {"encode", "queued", "wake-up", "decode", "compute", "return"}) {
    EXPECT_EQ(slice_names[name], 2 * per_worker) << name;
  }
  // Every thread with slices is named, and its slices nest (Perfetto's rule).
  for (auto& [track, list] : slices) {
    EXPECT_TRUE(thread_names.count(track)) << "tid " << track.second;
    std::sort(list.begin(), list.end(), [](const SliceSeen& a, const SliceSeen& b) {
      return a.ts != b.ts ? a.ts < b.ts : a.end > b.end;
    });
    std::vector<double> open;
    for (const SliceSeen& s : list) {
      while (!open.empty() && open.back() <= s.ts + 1e-9) open.pop_back();
      if (!open.empty()) {
        EXPECT_LE(s.end, open.back() + 1e-9) << s.name << " overlaps on tid " << track.second;
      }
      open.push_back(s.end);
    }
  }
  // One flow per task: start, step, finish, each inside a slice of its thread.
  EXPECT_EQ(flow_phases.size(), static_cast<size_t>(2 * per_worker));
  for (const auto& [id, phases] : flow_phases) EXPECT_EQ(phases, "stf") << "flow " << id;
  for (const Struct& flow : flows) {
    const auto& list = slices[{Number(flow, "pid"), Number(flow, "tid")}];
    const double ts = Number(flow, "ts");
    const std::string want = Text(flow, "ph") == "s"   ? "encode"
                             : Text(flow, "ph") == "t" ? "compute"
                                                       : "return";
    EXPECT_TRUE(std::any_of(list.begin(), list.end(),
                            [&](const SliceSeen& s) {
                              return s.name == want && s.ts <= ts + 1e-9 && ts <= s.end + 1e-9;
                            }))
        << Text(flow, "ph") << " of flow " << Number(flow, "id") << " is not inside a " << want;
  }
}

TEST_F(TraceWriterTest, TimestampsKeepNanoseconds) {
  std::vector<TaskRecord> records = OverlappingRecords(1);
  records.resize(1);
  ASSERT_TRUE(WriteTrace(path_, DefaultJob(), records, {}).ok());
  const Struct root = ParseFile(path_);
  // Encode of task 0 lasts 1 µs and 0 ns; its decode 700 + 100 ns = 0.8 µs.
  for (const Value& value : root.fields().at("traceEvents").list_value().values()) {
    const Struct& e = value.struct_value();
    if (Text(e, "ph") != "X") continue;
    if (Text(e, "name") == "encode") {
      EXPECT_DOUBLE_EQ(Number(e, "ts"), 0);
      EXPECT_DOUBLE_EQ(Number(e, "dur"), 1.0);
    }
    if (Text(e, "name") == "decode") {
      EXPECT_DOUBLE_EQ(Number(e, "dur"), 0.8);
    }
  }
}

TEST_F(TraceWriterTest, MaxTasksAndFailedTasksAreLeftOut) {
  std::vector<TaskRecord> records = OverlappingRecords(5);
  records[1].outcome = TaskOutcome::kWorkerDied;
  TraceOptions options;
  options.max_tasks = 3;
  ASSERT_TRUE(WriteTrace(path_, DefaultJob(), records, options).ok());
  const Struct root = ParseFile(path_);
  EXPECT_EQ(Text(root.fields().at("metadata").struct_value(), "tasks_traced"), "3");
  std::set<double> tasks;
  for (const Value& value : root.fields().at("traceEvents").list_value().values()) {
    const Struct& e = value.struct_value();
    if (Text(e, "ph") == "X") tasks.insert(Number(e.fields().at("args").struct_value(), "task"));
  }
  EXPECT_EQ(tasks, (std::set<double>{0, 2, 3}));
}

TEST_F(TraceWriterTest, UnwritablePathIsAnErrorNamingIt) {
  const Status status = WriteTrace("/nonexistent-dir/x.json", DefaultJob(), {}, {});
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("/nonexistent-dir/x.json"), std::string::npos);
}

}  // namespace
}  // namespace parlab
