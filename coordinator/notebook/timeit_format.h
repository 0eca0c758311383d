#pragma once
// How `parlab timeit` prints, as IPython's %timeit does: durations with three
// significant digits in s, ms, µs or ns (IPython's _format_time), and
//   5.27 ms ± 74.3 µs per loop (mean ± std. dev. of 7 runs, 100 loops each)
// preceded by the best per loop, and IPython's warning when the slowest run
// took over 4 times the fastest. Pure; thread-safe.

#include <ostream>
#include <string>

#include "coordinator/notebook/timeit_runner.h"
#include "coordinator/report/table.h"

namespace parlab {

// IPython's _format_time(timespan, precision): "%.3g" in the unit that
// keeps 1..999 before the point (ns at the smallest); from a minute up,
// "1min 5s", "2h 3min 1s".
std::string FormatTimeitSeconds(double seconds, int precision = 3);

// "5.27 ms ± 74.3 µs per loop (mean ± std. dev. of 7 runs, 100 loops each)",
// with IPython's plurals and thousands separators in the loop count.
std::string TimeitLine(const pb::TimeitReport& result);

// The title, the best per loop, TimeitLine, and the slow-run warning if any.
void PrintTimeit(const pb::TimeitReport& result, std::ostream& out);

// The rows for --csv (report/table.h): one per repeat — workload, threads,
// loops, repeat (from 1), per_loop_s (plain seconds).
Table TimeitCsvTable(const pb::TimeitReport& result);

}  // namespace parlab
