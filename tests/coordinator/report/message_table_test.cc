// A report's repeated rows as one long table (report/message_table.h), on
// the bench ipc message: a row per value, nested and repeated fields named
// by their path, the row's name found inside it, header fields left out.
#include "coordinator/report/message_table.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "proto/report.pb.h"

namespace parlab {
namespace {

std::vector<std::vector<std::string>> RowsOf(const Table& table, const std::string& name,
                                             const std::string& field) {
  std::vector<std::vector<std::string>> found;
  for (const std::vector<std::string>& row : table.rows) {
    if (row[2] == name && row[3] == field) found.push_back(row);
  }
  return found;
}

TEST(MessageTableTest, EveryValueOfEveryRowIsOneLongRow) {
  pb::BenchIpcReport report;
  report.set_cores(2);  // a header field: not a row
  pb::BenchIpcReport::Latency& pipe = *report.add_references();
  pipe.set_name("pipe");
  pipe.set_median_us(4.25);
  pb::BenchIpcReport::RoundTrip& trip = *report.add_round_trips();
  trip.mutable_latency()->set_name("shm spin");
  trip.mutable_latency()->set_count(1000);
  pb::BenchIpcReport::Throughput& throughput = *report.add_throughput();
  throughput.set_name("shm adaptive");
  throughput.add_workers(1);
  throughput.add_workers(2);
  throughput.add_tasks_per_s(1e6);
  throughput.add_tasks_per_s(1.5e6);

  const Table table = LongTable(report);
  EXPECT_EQ(table.columns, (std::vector<std::string>{"table", "row", "name", "field", "value"}));
  for (const std::vector<std::string>& row : table.rows) {
    EXPECT_NE(row[0], "cores");
    EXPECT_NE(row[0], "notes");  // repeated strings are not rows of a table
  }
  EXPECT_EQ(
      RowsOf(table, "pipe", "median_us"),
      (std::vector<std::vector<std::string>>{{"references", "0", "pipe", "median_us", "4.25"}}));
  // A nested message's fields by path; the row's name from inside it.
  EXPECT_EQ(RowsOf(table, "shm spin", "latency.count"),
            (std::vector<std::vector<std::string>>{
                {"round_trips", "0", "shm spin", "latency.count", "1000"}}));
  // Every field of the schema, set or not, as --json prints them.
  EXPECT_EQ(RowsOf(table, "shm spin", "encode_us").size(), 1u);
  EXPECT_EQ(RowsOf(table, "shm adaptive", "tasks_per_s[1]"),
            (std::vector<std::vector<std::string>>{
                {"throughput", "0", "shm adaptive", "tasks_per_s[1]", "1500000"}}));
  EXPECT_EQ(RowsOf(table, "shm adaptive", "workers[0]").front()[4], "1");
}

}  // namespace
}  // namespace parlab
