#include "coordinator/command/command_line.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace parlab {
namespace {

using Words = std::vector<std::string>;

TEST(CommandLineTest, PlaceholdersAsGnuParallelDefinesThem) {
  const std::string in = "dir/sub/file.tar.gz";
  EXPECT_EQ(ExpandPlaceholders("{}", in, 7), "dir/sub/file.tar.gz");
  EXPECT_EQ(ExpandPlaceholders("{.}", in, 7), "dir/sub/file.tar");
  EXPECT_EQ(ExpandPlaceholders("{/}", in, 7), "file.tar.gz");
  EXPECT_EQ(ExpandPlaceholders("{//}", in, 7), "dir/sub");
  EXPECT_EQ(ExpandPlaceholders("{/.}", in, 7), "file.tar");
  EXPECT_EQ(ExpandPlaceholders("{#}", in, 7), "7");
  EXPECT_EQ(ExpandPlaceholders("out/{/.}-{#}.txt", in, 12), "out/file.tar-12.txt");
}

TEST(CommandLineTest, PlaceholdersOnEdgeCases) {
  EXPECT_EQ(ExpandPlaceholders("{//}", "file", 1), ".");
  EXPECT_EQ(ExpandPlaceholders("{//}", "/file", 1), "/");
  EXPECT_EQ(ExpandPlaceholders("{.}", "dir.d/file", 1), "dir.d/file");  // a dot in a directory
  EXPECT_EQ(ExpandPlaceholders("{.}", "noext", 1), "noext");
  EXPECT_EQ(ExpandPlaceholders("{/}", "a/b/", 1), "");
  EXPECT_EQ(ExpandPlaceholders("{x} { } {", "in", 1), "{x} { } {");  // not replacement strings
  EXPECT_EQ(ExpandPlaceholders("{}{}", "ab", 1), "abab");
}

TEST(CommandLineTest, SplitsWordsAsAShellWithoutExpanding) {
  EXPECT_EQ(*SplitCommandWords("gzip -9  -k {}"), (Words{"gzip", "-9", "-k", "{}"}));
  EXPECT_EQ(*SplitCommandWords("echo 'a b' \"c d\" e\\ f"), (Words{"echo", "a b", "c d", "e f"}));
  EXPECT_EQ(*SplitCommandWords("echo $HOME '*'"), (Words{"echo", "$HOME", "*"}));
  EXPECT_EQ(*SplitCommandWords("echo \"a\\\"b\" x''y"), (Words{"echo", "a\"b", "xy"}));
  EXPECT_FALSE(SplitCommandWords("echo 'open").ok());
  EXPECT_FALSE(SplitCommandWords("echo \"open").ok());
  EXPECT_FALSE(SplitCommandWords("   ").ok());
}

TEST(CommandLineTest, AnInputWithSpacesAndQuotesIsOneArgument) {
  Result<CommandTemplate> t = CommandTemplate::Parse("wc -c {}", /*shell=*/false);
  ASSERT_TRUE(t.ok());
  const std::string name = "my \"odd\" file's name.txt";
  EXPECT_EQ(t->Argv(name, 1), (Words{"wc", "-c", name}));
  // The printed line quotes it so a shell would run the same thing.
  EXPECT_EQ(t->Line(name, 1), "wc -c 'my \"odd\" file'\\''s name.txt'");
}

TEST(CommandLineTest, WithoutAPlaceholderTheInputGoesLast) {
  Result<CommandTemplate> t = CommandTemplate::Parse("echo x", false);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->Argv("a b", 3), (Words{"echo", "x", "a b"}));
  Result<CommandTemplate> numbered = CommandTemplate::Parse("echo {#}", false);
  EXPECT_EQ(numbered->Argv("a b", 3), (Words{"echo", "3"}));
}

TEST(CommandLineTest, ShellModeLeavesQuotingToTheUser) {
  Result<CommandTemplate> t = CommandTemplate::Parse("echo {} | tr a b", /*shell=*/true);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->Argv("a a", 1), (Words{"/bin/sh", "-c", "echo a a | tr a b"}));
  EXPECT_EQ(t->Line("a a", 1), "echo a a | tr a b");
}

TEST(CommandLineTest, ShellQuoteLeavesPlainWords) {
  EXPECT_EQ(ShellQuote("abc-1.txt"), "abc-1.txt");
  EXPECT_EQ(ShellQuote(""), "''");
  EXPECT_EQ(ShellQuote("a b"), "'a b'");
}

}  // namespace
}  // namespace parlab
