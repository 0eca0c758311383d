#pragma once
// A ResultFrame's answers, read as the coordinator reads them
// (shared/task_frame.h): for tests that write frames and check what they say.
// An answer's error points into `frame`, which must outlive the vector.

#include <vector>

#include "proto/parlab.pb.h"
#include "shared/task_frame.h"

namespace parlab {

inline std::vector<TaskAnswer> ReadAnswers(const pb::ResultFrame& frame) {
  std::vector<TaskAnswer> answers;
  ResultFrameReader reader(frame);
  TaskAnswer answer;
  while (reader.Next(answer)) answers.push_back(answer);
  return answers;
}

}  // namespace parlab
