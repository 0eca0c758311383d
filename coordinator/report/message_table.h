#pragma once
// A report message's rows as one long ("tidy") table, for --csv where a
// report holds several tables of different columns (bench ipc: raw round
// trips, parlab's round trips, payloads, throughput): one row per value —
//   table,row,name,field,value
//   round_trips,0,shm spin,latency.median_us,3.1
// where `table` is the repeated message field, `row` the element's index,
// `name` the element's first string field called "name" (its own, else one
// inside it; "" when none), `field` the path of the value inside the element
// ("latency.median_us"; "tasks_per_s[1]" for a repeated scalar). Walked by
// Protobuf's reflection, so a field added to the .proto appears without an
// edit here; pandas' pivot turns it back into wide tables. Fields that are
// not repeated messages (a report's header) are left out. Pure; thread-safe.

#include <google/protobuf/message.h>

#include "coordinator/report/table.h"

namespace parlab {

Table LongTable(const google::protobuf::Message& report);

}  // namespace parlab
