// CheckChecksums, the job runner's last line against a wrong answer: a
// mismatch anywhere, not only against a neighbour, is an error naming both
// tasks; failed tasks are skipped; reassociation noise is not a mismatch.
#include "coordinator/runtime/checksums.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace parlab {
namespace {

std::vector<TaskRecord> Answered(const std::vector<double>& checksums) {
  std::vector<TaskRecord> records(checksums.size());
  for (size_t i = 0; i < checksums.size(); ++i) {
    records[i].id = 100 + i;
    records[i].checksum = checksums[i];
  }
  return records;
}

TEST(ChecksumsTest, EqualChecksumsPass) {
  EXPECT_TRUE(CheckChecksums(Answered({2.5, 2.5, 2.5})).ok());
  EXPECT_TRUE(CheckChecksums({}).ok());
}

TEST(ChecksumsTest, ReassociationNoiseIsNoMismatch) {
  const double big = 1e12;
  EXPECT_TRUE(CheckChecksums(Answered({big, big * (1 + 1e-12), big * (1 - 1e-12)})).ok());
}

TEST(ChecksumsTest, OneWrongAnswerIsAnErrorNamingBothTasks) {
  const Status status = CheckChecksums(Answered({7.0, 7.0, 7.0, 7.001, 7.0}));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_NE(status.message().find("task 103 computed checksum 7.001"), std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find("task 100 computed 7"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("wrong answer"), std::string::npos) << status.message();
}

TEST(ChecksumsTest, AWrongFirstAnswerIsCaughtToo) {
  EXPECT_FALSE(CheckChecksums(Answered({1.0, 2.0, 2.0})).ok());
}

TEST(ChecksumsTest, NotANumberIsAMismatch) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(CheckChecksums(Answered({1.0, nan})).ok());
  EXPECT_FALSE(CheckChecksums(Answered({nan, 1.0})).ok());
  EXPECT_FALSE(CheckChecksums(Answered({nan, nan})).ok());
}

TEST(ChecksumsTest, FailedTasksHaveNoAnswerToCompare) {
  std::vector<TaskRecord> records = Answered({3.0, 0.0, 3.0});
  records[1].outcome = TaskOutcome::kWorkerDied;  // its checksum field was never set
  EXPECT_TRUE(CheckChecksums(records).ok());
  records[0].outcome = TaskOutcome::kTimedOut;  // the reference is the first answered one
  records[2].checksum = 4.0;
  EXPECT_TRUE(CheckChecksums(records).ok());
  records[0].outcome = TaskOutcome::kOk;
  EXPECT_FALSE(CheckChecksums(records).ok());
}

// A job file's task list: task i of every trial has its own parameters, so
// its runs are compared with each other (ids run on across trials: id % 2).
TEST(ChecksumsTest, ListedTasksAreComparedWithTheirOwnRuns) {
  // ids 100..105: tasks 0, 1, 0, 1, 0, 1 of a 2-task list, three trials.
  std::vector<TaskRecord> records = Answered({1.0, 2.0, 1.0, 2.0, 1.0, 2.0});
  EXPECT_TRUE(CheckChecksums(records, 2).ok());
  EXPECT_FALSE(CheckChecksums(records, 1).ok());  // as one uniform job: a mismatch
  records[3].checksum = 1.0;                      // task 1's second run is wrong
  const Status status = CheckChecksums(records, 2);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("task 103"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("task 101"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace parlab
