#include "coordinator/bench/python_pool.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "shared/platform/subprocess.h"

namespace parlab {
namespace {

// argv: workers, budget_s. Prints one JSON line. Each map is sized by
// growing the task count until a map lasts a quarter of the budget, then one
// map of the size that lasts about the budget is the one measured.
constexpr const char* kPoolMapScript = R"PY(
import json, math, multiprocessing as mp, sys, time

def noop(x):
    return x

def measure(pool, chunksize, budget):
    n = 64
    while True:
        t0 = time.perf_counter()
        pool.map(noop, range(n), chunksize)
        t = time.perf_counter() - t0
        if t >= budget / 4 or n >= 1 << 26:
            break
        n *= 4
    n = max(n, min(1 << 26, int(n * budget / max(t, 1e-9))))
    t0 = time.perf_counter()
    pool.map(noop, range(n), chunksize)
    return n / (time.perf_counter() - t0), n

workers, budget = int(sys.argv[1]), float(sys.argv[2])
with mp.get_context("fork").Pool(workers) as pool:
    pool.map(noop, range(4 * workers), 1)
    one, one_n = measure(pool, 1, budget)
    batched, batched_n = measure(pool, None, budget)
print(json.dumps({"python": sys.version.split()[0], "one_per_message": one,
                  "one_per_message_tasks": one_n, "batched": batched,
                  "batched_tasks": batched_n,
                  "batched_chunksize": math.ceil(batched_n / (4 * workers))}))
)PY";

double Number(const google::protobuf::Struct& answer, const std::string& key) {
  const auto it = answer.fields().find(key);
  return it == answer.fields().end() ? 0 : it->second.number_value();
}

}  // namespace

std::string PoolMapPython() {
  const char* chosen = std::getenv("PARLAB_PYTHON");
  return chosen != nullptr && *chosen != '\0' ? chosen : "python3";
}

Result<PoolMapRates> MeasurePoolMap(const std::string& python, int workers, double budget_s) {
  // Two maps of ~1.6 budgets each, the pool's start and the interpreter's.
  const double timeout_s = 10 + 8 * budget_s;
  PARLAB_ASSIGN_OR_RETURN(std::string output,
                          RunSubprocess({python, "-c", kPoolMapScript, std::to_string(workers),
                                         std::to_string(budget_s)},
                                        timeout_s));
  const std::string line = LastJsonLine(output);
  google::protobuf::Struct answer;
  if (line.empty() || !google::protobuf::util::JsonStringToMessage(line, &answer).ok()) {
    return Internal("the Pool.map script printed no answer: " + output.substr(0, 200));
  }
  PoolMapRates rates;
  if (const auto it = answer.fields().find("python"); it != answer.fields().end()) {
    rates.python = it->second.string_value();
  }
  rates.one_per_message = Number(answer, "one_per_message");
  rates.one_per_message_tasks = static_cast<int64_t>(Number(answer, "one_per_message_tasks"));
  rates.batched = Number(answer, "batched");
  rates.batched_tasks = static_cast<int64_t>(Number(answer, "batched_tasks"));
  rates.batched_chunksize = static_cast<int64_t>(Number(answer, "batched_chunksize"));
  return rates;
}

}  // namespace parlab
