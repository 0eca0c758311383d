#include "coordinator/report/env_report_json.h"

#include <gtest/gtest.h>

#include <cctype>
#include <optional>
#include <string>
#include <string_view>

namespace parlab {
namespace {

// A strict JSON (RFC 8259) recogniser, enough to prove the report is one
// well-formed value: balanced, quoted, escaped, no trailing garbage.
class JsonChecker {
 public:
  explicit JsonChecker(std::string_view text) : s_(text) {}

  // True when the whole text is exactly one JSON object.
  bool IsOneObject() {
    SkipSpace();
    if (Peek() != '{' || !Value()) return false;
    SkipSpace();
    return pos_ == s_.size();
  }

 private:
  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void SkipSpace() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  bool Value() {
    SkipSpace();
    switch (Peek()) {
      case '{':
        return Object();
      case '[':
        return Array();
      case '"':
        return String();
      case 't':
        return Literal("true");
      case 'f':
        return Literal("false");
      case 'n':
        return Literal("null");
      default:
        return Number();
    }
  }
  bool Object() {
    ++pos_;
    SkipSpace();
    if (Peek() == '}') return ++pos_, true;
    while (true) {
      SkipSpace();
      if (!String()) return false;
      SkipSpace();
      if (Peek() != ':') return false;
      ++pos_;
      if (!Value()) return false;
      SkipSpace();
      if (Peek() == '}') return ++pos_, true;
      if (Peek() != ',') return false;
      ++pos_;
    }
  }
  bool Array() {
    ++pos_;
    SkipSpace();
    if (Peek() == ']') return ++pos_, true;
    while (true) {
      if (!Value()) return false;
      SkipSpace();
      if (Peek() == ']') return ++pos_, true;
      if (Peek() != ',') return false;
      ++pos_;
    }
  }
  bool String() {
    if (Peek() != '"') return false;
    ++pos_;
    while (pos_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[pos_++]);
      if (c == '"') return true;
      if (c < 0x20) return false;  // raw control characters must be escaped
      if (c != '\\') continue;
      const char e = Peek();
      ++pos_;
      if (e == 'u') {
        for (int i = 0; i < 4; ++i, ++pos_) {
          if (!std::isxdigit(static_cast<unsigned char>(Peek()))) return false;
        }
      } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
        return false;
      }
    }
    return false;
  }
  bool Number() {
    const size_t start = pos_;
    if (Peek() == '-') ++pos_;
    if (!std::isdigit(static_cast<unsigned char>(Peek()))) return false;
    while (std::isdigit(static_cast<unsigned char>(Peek())) || Peek() == '.' || Peek() == 'e' ||
           Peek() == 'E' || Peek() == '+' || Peek() == '-') {
      ++pos_;
    }
    return pos_ > start;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

TEST(JsonCheckerTest, RecognisesGoodAndBad) {
  EXPECT_TRUE(
      JsonChecker(R"({"a":[1,2.5,-3e2],"b":{"c":null,"d":true},"e":"x\"y\u00e9"})").IsOneObject());
  EXPECT_FALSE(JsonChecker(R"({"a":1)").IsOneObject());
  EXPECT_FALSE(JsonChecker(R"({"a":1}{})").IsOneObject());
  EXPECT_FALSE(JsonChecker("{\"a\":\"line\nbreak\"}").IsOneObject());
  EXPECT_FALSE(JsonChecker(R"({"a":"\q"})").IsOneObject());
  EXPECT_FALSE(JsonChecker(R"({a:1})").IsOneObject());
}

TEST(EnvReportJsonTest, HostileStringsStillGiveOneObject) {
  EnvReport r;
  r.cpu_model = "Evil \"CPU\" \\ with\nnewline \x01 and \xff";
  r.cpu_simd = {"avx2", "quote\"d"};
  r.thread_variables.push_back({"OMP_NUM_THREADS", std::string("4\"}, {"), true, "x"});
  r.thread_variables.push_back({"MKL_NUM_THREADS", std::nullopt, false, "not used"});
  r.cgroup_cpu_quota = 1.5;
  r.affinity_cpus = {0, 1, 3};
  r.shm_total_bytes = 1ull << 40;
  r.warnings = {"w1", "w\"2"};
  const std::string json = EnvReportJson(r);
  EXPECT_TRUE(JsonChecker(json).IsOneObject()) << json;
  EXPECT_EQ(json.find('\n'), std::string::npos);  // one line: log headers embed it
  EXPECT_NE(json.find(R"("cgroup_cpu_quota":1.5)"), std::string::npos);
  EXPECT_NE(json.find(R"("affinity_cpus":[0,1,3])"), std::string::npos);
  EXPECT_NE(json.find(R"("value":null)"), std::string::npos);
  EXPECT_NE(json.find(R"("shm_free_bytes":null)"), std::string::npos);
}

TEST(EnvReportJsonTest, ThisMachineGivesOneObjectWithStableKeys) {
  const std::string json = EnvReportJson();
  EXPECT_TRUE(JsonChecker(json).IsOneObject()) << json;
  for (const char* key : {"\"cpu\":", "\"simd\":", "\"eigen\":", "\"openmp\":", "\"blas\":",
                          "\"thread_variables\":", "\"build\":", "\"limits\":", "\"warnings\":",
                          "\"usable_cores\":", "\"openblas_corename\":", "\"logical_cpus\":"}) {
    EXPECT_NE(json.find(key), std::string::npos) << key;
  }
}

}  // namespace
}  // namespace parlab
