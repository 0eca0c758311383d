#include "coordinator/notebook/profile_perf.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "shared/platform/child_process.h"
#include "shared/platform/executable_path.h"

namespace parlab {
namespace {

std::vector<std::string> SplitCsv(std::string_view line) {
  std::vector<std::string> fields;
  size_t at = 0;
  while (true) {
    const size_t comma = line.find(',', at);
    fields.emplace_back(line.substr(at, comma == std::string_view::npos ? line.npos : comma - at));
    if (comma == std::string_view::npos) break;
    at = comma + 1;
  }
  return fields;
}

const PerfEvent* Find(const PerfStat& stat, const std::string& name) {
  for (const PerfEvent& event : stat.events) {
    if (event.name == name && event.value) return &event;
  }
  return nullptr;
}

}  // namespace

const std::vector<std::string>& PerfEventNames() {
  static const std::vector<std::string> names = {"cycles", "instructions", "cache-references",
                                                 "cache-misses"};
  return names;
}

std::vector<PerfEvent> ParsePerfCsv(std::string_view csv) {
  std::vector<PerfEvent> events;
  std::istringstream lines{std::string(csv)};
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> fields = SplitCsv(line);
    if (fields.size() < 3 || fields[2].empty()) continue;
    PerfEvent event;
    event.name = fields[2];
    // perf may suffix the event with its PMU or modifier ("cycles:u").
    if (const size_t colon = event.name.find(':'); colon != std::string::npos) {
      event.name.resize(colon);
    }
    const std::string& value = fields[0];
    if (!value.empty() && value.front() == '<') {
      event.why_not = value.substr(1, value.size() >= 2 ? value.size() - 2 : 0);
    } else {
      char* end = nullptr;
      const double number = std::strtod(value.c_str(), &end);
      if (end == value.c_str() || *end != '\0') {
        event.why_not = "unreadable: '" + value + "'";
      } else {
        event.value = number;
      }
    }
    events.push_back(std::move(event));
  }
  return events;
}

std::optional<std::string> FindPerf() { return FindOnPath("perf"); }

Result<PerfStat> RunUnderPerf(const std::string& parlab_path,
                              const std::vector<std::string>& args) {
  PerfStat stat;
  std::optional<std::string> perf = FindPerf();
  if (!perf) {
    stat.note = "perf not installed (Debian: apt-get install linux-perf); no hardware counters";
    return stat;
  }
  char csv_path[] = "/tmp/parlab-perf-XXXXXX";
  const int fd = mkstemp(csv_path);
  if (fd < 0) return Internal(std::string("mkstemp: ") + strerror(errno));
  close(fd);
  std::string events;
  for (const std::string& name : PerfEventNames()) events += (events.empty() ? "" : ",") + name;
  std::vector<std::string> argv = {*perf, "stat", "-x,", "-o",       csv_path,
                                   "-e",  events, "--",  parlab_path};
  argv.insert(argv.end(), args.begin(), args.end());
  for (size_t i = 0; i < argv.size(); ++i) {
    if (i == 3 || i == 4) continue;  // the temporary file is no business of the reader
    stat.command += (stat.command.empty() ? "" : " ") + argv[i];
  }
  // perf stays until its child (the profile) ends: no deadline here, as a
  // profile run in the foreground has none; Ctrl-C reaches both.
  ChildSpec spec;
  spec.argv = std::move(argv);
  spec.stdin_from = ChildInput::kInherit;
  spec.stdout_to = ChildOutput::kDiscard;  // the profile's own table; ours is printed already
  Result<ChildProcess> child = ChildProcess::Start(spec);
  std::optional<ExitStatus> status;
  if (child.ok()) status = child->Wait();
  std::ifstream in(csv_path);
  std::stringstream csv;
  csv << in.rdbuf();
  unlink(csv_path);
  if (!child.ok()) return Internal("cannot start perf: " + child.status().message());
  if (!status->success()) {
    return Internal(
        fmt::format("`{}` {}; its messages are above", stat.command, status->ToString()));
  }
  stat.ran = true;
  stat.events = ParsePerfCsv(csv.str());
  return stat;
}

void PrintPerfStat(const PerfStat& stat, std::ostream& out) {
  out << "\nperf stat\n";
  if (!stat.ran) {
    out << "  " << stat.note << "\n";
    return;
  }
  out << "  ran: " << stat.command << "\n";
  int counted = 0;
  for (const PerfEvent& event : stat.events) {
    if (event.value) {
      ++counted;
      out << fmt::format("  {:<18} {:>18.0f}\n", event.name, *event.value);
    } else {
      out << fmt::format("  {:<18} {:>18}\n", event.name, "<" + event.why_not + ">");
    }
  }
  if (counted == 0) {
    out << "  perf can count none of these events here: this machine exposes no hardware\n"
           "  performance counters (typical of a VM without a virtual PMU). The stage table\n"
           "  above does not depend on them.\n";
    return;
  }
  const PerfEvent* cycles = Find(stat, "cycles");
  const PerfEvent* instructions = Find(stat, "instructions");
  if (cycles != nullptr && instructions != nullptr && *cycles->value > 0) {
    out << fmt::format("  IPC (instructions per cycle)  {:.2f}\n",
                       *instructions->value / *cycles->value);
  }
  const PerfEvent* references = Find(stat, "cache-references");
  const PerfEvent* misses = Find(stat, "cache-misses");
  if (references != nullptr && misses != nullptr && *references->value > 0) {
    out << fmt::format("  cache misses per reference     {:.1f}%\n",
                       100.0 * *misses->value / *references->value);
  }
  out << "  (the counts cover the whole child: start-up, inputs, warm-up and every call)\n";
}

}  // namespace parlab
