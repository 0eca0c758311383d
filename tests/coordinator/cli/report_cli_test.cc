// `parlab report` the whole way, with the real binaries: logs of a seq and a
// procs run, the --json of a compare and of a sweep, into one HTML page; then
// the page opened in headless Chromium, where its own self-check measures
// every chart (report_page.h) and the console must stay silent. Chromium is
// Debian's `chromium` (scripts/setup.sh installs it); where it is missing that
// test says so and is skipped. Bad inputs: exit 2 and a message naming the
// file. PARLAB_BIN names the parlab binary (set by CMake). Never a timing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "shared/platform/child_process.h"
#include "shared/platform/executable_path.h"
#include "tests/support/parlab_process.h"

namespace parlab {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteFile(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

class ReportCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(::testing::TempDir() + "report_cli_test_" + std::to_string(getpid()));
    std::filesystem::create_directories(*dir_);
    const std::string job = " --workers 2 --tasks 300 --trials 2 --warmup 0";
    for (const char* mode : {"seq", "procs"}) {
      const ParlabRun run = RunParlabShell(std::string("run noop --mode ") + mode + job +
                                           " --log " + *dir_ + "/" + mode + ".jsonl");
      ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    }
    const ParlabRun compare =
        RunParlabShell("compare noop --modes seq,threads,procs" + job + " --json");
    ASSERT_EQ(compare.exit_code, 0) << compare.out << compare.err;
    WriteFile(*dir_ + "/compare.json", compare.out);
    const ParlabRun sweep = RunParlabShell(
        "sweep noop --workers 1,2 --modes threads,procs --trials 1 --warmup 0 --tasks 200 --json");
    ASSERT_EQ(sweep.exit_code, 0) << sweep.out << sweep.err;
    WriteFile(*dir_ + "/sweep.json", sweep.out);
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  static std::string Path(const std::string& name) { return *dir_ + "/" + name; }

  // Writes report.html of the four inputs; its output line.
  static ParlabRun MakeReport(const std::string& html) {
    return RunParlabShell("report " + Path("compare.json") + " " + Path("sweep.json") + " " +
                          Path("seq.jsonl") + " " + Path("procs.jsonl") + " -o " + html);
  }
  static std::string* dir_;
};
std::string* ReportCliTest::dir_ = nullptr;

// compare: speedup + phases; sweep: speedup + phases; the two logs: speedup
// (one is seq) + phases + a histogram and a timeline each.
constexpr int kExpectedCharts = 10;

TEST_F(ReportCliTest, WritesOnePageOfEveryInput) {
  const std::string html = Path("report.html");
  const ParlabRun ran = MakeReport(html);
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  EXPECT_NE(ran.out.find("report written to " + html + " (4 inputs, " +
                         std::to_string(kExpectedCharts) + " charts)"),
            std::string::npos)
      << ran.out;
  const std::string page = ReadFile(html);
  for (const char* part :
       {"<h2>compare of noop", "<h2>sweep of noop", "2 logs side by side", "Amdahl serial fraction",
        "First tasks per worker", "OpenBLAS core", "<pre id=selfcheck>"}) {
    EXPECT_NE(page.find(part), std::string::npos) << "missing " << part;
  }
}

TEST_F(ReportCliTest, InputOfNoKnownKindIsAnErrorNamingIt) {
  WriteFile(Path("notes.txt"), "these are not results\n");
  const ParlabRun text = RunParlabShell("report " + Path("notes.txt") + " -o " + Path("x.html"));
  EXPECT_EQ(text.exit_code, 2);
  EXPECT_NE(text.err.find(Path("notes.txt") + ": neither a parlab log"), std::string::npos)
      << text.err;
  WriteFile(Path("other.json"), R"({"name": "x"})");
  const ParlabRun json = RunParlabShell("report " + Path("other.json") + " -o " + Path("x.html"));
  EXPECT_EQ(json.exit_code, 2);
  EXPECT_NE(json.err.find("none of the keys parlab writes (it has name)"), std::string::npos)
      << json.err;
  const ParlabRun missing = RunParlabShell("report " + Path("missing.jsonl"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("missing.jsonl: cannot open it"), std::string::npos) << missing.err;
  EXPECT_FALSE(std::filesystem::exists(Path("x.html")));
}

// Debian's package, or Google's on other systems.
std::optional<std::string> FindChromium() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    if (std::optional<std::string> path = FindOnPath(name)) return path;
  }
  return std::nullopt;
}

TEST_F(ReportCliTest, EveryChartRendersInHeadlessChromium) {
  const std::optional<std::string> chromium = FindChromium();
  if (!chromium) {
    GTEST_SKIP() << "no chromium on $PATH: install Debian's `chromium` (scripts/setup.sh does) "
                    "to open the report in a browser";
  }
  const std::string html = Path("browser.html");
  const ParlabRun ran = MakeReport(html);
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;

  const std::string dom_path = Path("dom.html");
  const std::string log_path = Path("chromium.log");
  ChildSpec spec;
  spec.argv = {"/bin/sh", "-c",
               *chromium + " --headless=new --disable-gpu --no-sandbox --no-first-run" +
                   " --user-data-dir=" + Path("chromium-profile") +
                   " --enable-logging=stderr --v=0 --dump-dom file://" + html + " >" + dom_path +
                   " 2>" + log_path};
  Result<ChildProcess> child = ChildProcess::Start(spec);
  ASSERT_TRUE(child.ok()) << child.status().ToString();
  const ExitStatus status = child->Wait();
  const std::string dom = ReadFile(dom_path);
  const std::string log = ReadFile(log_path);
  ASSERT_TRUE(status.exited && status.exit_code == 0) << "chromium failed:\n" << log;

  std::smatch verdict;
  ASSERT_TRUE(std::regex_search(dom, verdict,
                                std::regex(R"(<pre id="selfcheck">charts=(\d+) zero=(\d+) )"
                                           R"(errors=(\d+)</pre>)")))
      << "the page's self-check did not run; the DOM:\n"
      << dom.substr(0, 2000);
  EXPECT_EQ(std::stoi(verdict[1]), kExpectedCharts);
  EXPECT_EQ(verdict[2].str(), "0") << "charts of zero size";
  EXPECT_EQ(verdict[3].str(), "0") << "script errors";
  // Chromium prints the page's console (errors included) as CONSOLE lines.
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_EQ(line.find(":CONSOLE"), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace parlab
