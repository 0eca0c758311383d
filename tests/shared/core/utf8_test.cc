#include "shared/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace parlab {
namespace {

constexpr const char* kReplacement = "\xef\xbf\xbd";

TEST(Utf8Test, ValidTextIsKept) {
  for (const std::string text : {"plain", "caf\xc3\xa9 \xe2\x80\x94", "\xf0\x9f\x98\x80", ""}) {
    EXPECT_TRUE(IsValidUtf8(text)) << text;
    EXPECT_EQ(ValidUtf8(text), text);
  }
  const std::string nul("nul\0byte", 8);  // NUL is valid UTF-8
  EXPECT_EQ(ValidUtf8(nul), nul);
}

TEST(Utf8Test, EachInvalidByteBecomesOneReplacement) {
  const std::string r = kReplacement;
  EXPECT_FALSE(IsValidUtf8("bad \xff byte"));
  EXPECT_EQ(ValidUtf8("bad \xff byte"), "bad " + r + " byte");
  EXPECT_EQ(ValidUtf8("cut \xe2\x80"), "cut " + r + r);     // truncated at the end
  EXPECT_EQ(ValidUtf8("\xc0\xaf"), r + r);                  // overlong '/'
  EXPECT_EQ(ValidUtf8("\xed\xa0\x80"), r + r + r);          // a surrogate
  EXPECT_EQ(ValidUtf8("\xf4\x90\x80\x80"), r + r + r + r);  // past U+10FFFF
  EXPECT_EQ(ValidUtf8("\x80x"), r + "x");                   // a lone continuation byte
  EXPECT_EQ(ValidUtf8("\xc3(\xc3\xa9"), r + "(\xc3\xa9");   // the next sequence survives
  EXPECT_TRUE(IsValidUtf8(ValidUtf8("\xfe\xfe\xc3")));
}

}  // namespace
}  // namespace parlab
