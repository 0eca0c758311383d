#pragma once
// Valid UTF-8 out of any bytes: what reaches a protobuf string field must be
// valid UTF-8 (proto3 refuses to print or serialize it otherwise), and text
// read from /proc, a file or a child's output need not be. Invalid sequences
// are replaced with U+FFFD, never dropped, so the text stays readable and its
// length says something was there. Pure functions; thread-safe.

#include <string>
#include <string_view>

namespace parlab {

// Whether `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// `text` with each byte that does not start a well-formed sequence replaced
// by U+FFFD (EF BF BD); valid text comes back unchanged.
std::string ValidUtf8(std::string_view text);

}  // namespace parlab
