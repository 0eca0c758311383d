// docs/parlab.1 (installed as man page) stays true to the binary: every
// command `parlab --help` lists has its entry under COMMANDS. A new command
// without one fails here.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/parlab_process.h"

namespace parlab {
namespace {

// The names in --help's "Subcommands:" list ("analyse, analyze" gives both).
std::vector<std::string> CommandsOfHelp(const std::string& help) {
  std::vector<std::string> names;
  std::istringstream lines(help.substr(help.find("Subcommands:")));
  const std::regex entry(R"(^  ([a-z][a-z-]*(, [a-z][a-z-]*)*) )");
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (!std::regex_search(line, match, entry)) continue;
    std::istringstream list(match[1].str());
    for (std::string name; std::getline(list >> std::ws, name, ',');) names.push_back(name);
  }
  return names;
}

// The COMMANDS section of the man page, from its heading to the next one.
std::string CommandsSection() {
  std::ifstream in(PARLAB_SOURCE_DIR "/docs/parlab.1");
  std::stringstream text;
  text << in.rdbuf();
  const std::string page = text.str();
  const size_t begin = page.find(".SH COMMANDS");
  EXPECT_NE(begin, std::string::npos) << "no COMMANDS section";
  if (begin == std::string::npos) return "";
  return page.substr(begin, page.find("\n.SH ", begin + 1) - begin);
}

TEST(ManPageTest, EveryCommandOfHelpHasItsEntry) {
  const auto [code, help] = RunParlab({"--help"});
  ASSERT_EQ(code, 0) << help;
  const std::vector<std::string> commands = CommandsOfHelp(help);
  ASSERT_GE(commands.size(), 10u) << help;  // the parse found the list
  const std::string section = CommandsSection();
  // An entry is a bold .TP tag: ".B run", ".BR analyse \", \" analyze",
  // ".BR \"bench gemm\" ...": the words of such lines.
  std::set<std::string> tagged;
  std::istringstream lines(section);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(".B ", 0) != 0 && line.rfind(".BR ", 0) != 0) continue;
    std::istringstream words(line);
    for (std::string word; words >> word;) {
      word.erase(
          std::remove_if(word.begin(), word.end(), [](char c) { return c == '"' || c == ','; }),
          word.end());
      tagged.insert(word);
    }
  }
  for (const std::string& name : commands) {
    EXPECT_EQ(tagged.count(name), 1u)
        << "docs/parlab.1 has no entry for '" << name << "' under COMMANDS";
  }
}

}  // namespace
}  // namespace parlab
