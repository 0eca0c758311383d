#pragma once
// Durations as users type them: "60s", "500ms", "2min", "1.5s", "250us".
// A bare number is refused: "60" could mean seconds or milliseconds.

#include <cstdint>
#include <string_view>

#include "shared/status.h"

namespace parlab {

// Nanoseconds; kInvalidArgument naming the text when it is not a positive
// number followed by ns, us, ms, s or min, or is longer than a day.
Result<int64_t> ParseDuration(std::string_view text);

}  // namespace parlab
