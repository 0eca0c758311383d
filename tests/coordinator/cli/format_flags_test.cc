// The output flags' one wording and their exclusion, on a bare CLI11 app:
// what each help says, that any two of them are refused together (a --json
// declared before the helper ran included), and that one alone lands.
#include "coordinator/cli/format_flags.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace parlab {
namespace {

// CLI11 takes the arguments in reverse order.
void Parse(CLI::App& app, std::vector<std::string> args) {
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  app.parse(reversed);
}

TEST(FormatFlagsTest, EachFlagSaysTheOneWording) {
  CLI::App app{"test"};
  bool json = false, markdown = false, csv = false;
  AddFormatFlags(app, FormatFlags::Json(&json, "BenchCmdReport")
                          .Markdown(&markdown, "the tables")
                          .Csv(&csv, "a row per tool (plain numbers)"));
  EXPECT_EQ(app.get_option("--json")->get_description(),
            "print JSON instead of text: one BenchCmdReport message");
  EXPECT_EQ(app.get_option("--markdown")->get_description(),
            "print the tables as Markdown instead of text (to paste into an issue)");
  EXPECT_EQ(app.get_option("--csv")->get_description(),
            "print CSV instead of text: a row per tool (plain numbers)");
  Parse(app, {"--csv"});
  EXPECT_TRUE(csv);
  EXPECT_FALSE(json || markdown);
}

TEST(FormatFlagsTest, AnyTwoAreRefused) {
  for (const std::vector<std::string>& two : std::vector<std::vector<std::string>>{
           {"--json", "--markdown"}, {"--json", "--csv"}, {"--csv", "--markdown"}}) {
    CLI::App app{"test"};
    bool json = false, markdown = false, csv = false;
    AddFormatFlags(app, FormatFlags::Json(&json, "M").Markdown(&markdown).Csv(&csv, "rows"));
    EXPECT_THROW(Parse(app, two), CLI::ExcludesError) << two[0] << " " << two[1];
  }
}

TEST(FormatFlagsTest, AJsonDeclaredBeforeIsExcludedToo) {
  CLI::App app{"test"};
  bool json = false, markdown = false, csv = false;
  app.add_flag("--json", json, "JobFlags' own");
  AddFormatFlags(app, FormatFlags().Markdown(&markdown).Csv(&csv, "a row per mode"));
  EXPECT_EQ(app.get_option_no_throw("--json")->get_description(), "JobFlags' own");
  EXPECT_THROW(Parse(app, {"--json", "--markdown"}), CLI::ExcludesError);
  CLI::App again{"test"};
  again.add_flag("--json", json, "JobFlags' own");
  AddFormatFlags(again, FormatFlags().Markdown(&markdown).Csv(&csv, "a row per mode"));
  EXPECT_THROW(Parse(again, {"--csv", "--json"}), CLI::ExcludesError);
}

TEST(FormatFlagsTest, OnlyTheFlagsGivenAreAdded) {
  CLI::App app{"test"};
  bool json = false;
  AddFormatFlags(app, FormatFlags::Json(&json, "EnvReport"));
  EXPECT_NE(app.get_option_no_throw("--json"), nullptr);
  EXPECT_EQ(app.get_option_no_throw("--markdown"), nullptr);
  EXPECT_EQ(app.get_option_no_throw("--csv"), nullptr);
}

}  // namespace
}  // namespace parlab
