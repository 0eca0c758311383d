#pragma once
// JSON text for the reports that write their JSON themselves (env, bench
// gemm, bench ipc, the trace writer): a string literal that nothing read from
// the system can break, and a number JSON can hold. Protobuf's printer is the
// rule elsewhere; here it would drop a /proc string with invalid UTF-8
// instead of keeping it readable. Pure functions; thread-safe.

#include <string>
#include <string_view>

namespace parlab {

// `text` as a JSON string literal, quotes included: escapes quotes, backslashes
// and control characters, and replaces invalid UTF-8 with U+FFFD.
std::string JsonQuote(std::string_view text);

// `value` with `decimals` digits after the point (-1: the shortest text that
// reads back as the same double), or null where JSON has no number (inf, nan).
std::string JsonNumber(double value, int decimals = -1);

}  // namespace parlab
