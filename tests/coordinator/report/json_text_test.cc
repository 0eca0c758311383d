#include "coordinator/report/json_text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace parlab {
namespace {

TEST(JsonQuoteTest, EscapesWhatJsonRequires) {
  EXPECT_EQ(JsonQuote("plain"), "\"plain\"");
  EXPECT_EQ(JsonQuote("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(JsonQuote("line\nnext\ttab\r"), R"("line\nnext\ttab\r")");
  EXPECT_EQ(JsonQuote(std::string_view("\x01\x1f", 2)), R"("\u0001\u001f")");
  EXPECT_EQ(JsonQuote("caf\xc3\xa9 \xe2\x80\x94"), "\"caf\xc3\xa9 \xe2\x80\x94\"");  // UTF-8 kept
  EXPECT_EQ(JsonQuote("bad \xff byte"), "\"bad \xef\xbf\xbd byte\"");                // U+FFFD
  EXPECT_EQ(JsonQuote("cut \xe2\x80"), "\"cut \xef\xbf\xbd\xef\xbf\xbd\"");          // truncated
  EXPECT_EQ(JsonQuote("\xc0\xaf"), "\"\xef\xbf\xbd\xef\xbf\xbd\"");                  // overlong
  EXPECT_EQ(JsonQuote(std::string_view("nul\0", 4)), R"("nul\u0000")");
}

TEST(JsonNumberTest, DecimalsShortestAndNull) {
  EXPECT_EQ(JsonNumber(1.23456, 2), "1.23");
  EXPECT_EQ(JsonNumber(0.1), "0.1");  // the shortest text that reads back the same
  EXPECT_EQ(JsonNumber(3.0, 0), "3");
  EXPECT_EQ(JsonNumber(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(JsonNumber(std::nan("")), "null");
}

}  // namespace
}  // namespace parlab
