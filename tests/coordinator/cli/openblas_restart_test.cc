// `parlab`'s start on the best OpenBLAS kernels (cli/openblas_restart.h), with
// the real binary: a preloaded stand-in (tests/support/fake_openblas_core.cc)
// makes OpenBLAS report Prescott, the kernels Debian's OpenBLAS 0.3.21 falls
// back to on CPUs it does not know; parlab must then set OPENBLAS_CORETYPE to
// the best core this CPU runs, execute itself again, and say so in `env`. A
// user's own OPENBLAS_CORETYPE is kept. PARLAB_BIN names the parlab binary and
// PARLAB_FAKE_OPENBLAS_CORE the stand-in (set by CMake).
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "coordinator/report/env_report.h"
#include "coordinator/report/openblas_core.h"
#include "tests/support/parlab_process.h"

namespace parlab {
namespace {

std::string BestCoreHere() {
  std::ifstream in("/proc/cpuinfo");
  std::stringstream text;
  text << in.rdbuf();
  return std::string(BestOpenBlasCore(ParseCpuInfo(text.str()).flags));
}

// `parlab env --json` with the stand-in preloaded and OPENBLAS_CORETYPE as
// given ("-" leaves it unset); its "blas" object.
google::protobuf::Struct BlasOfEnv(const std::string& coretype) {
  const char* fake = std::getenv("PARLAB_FAKE_OPENBLAS_CORE");
  EXPECT_NE(fake, nullptr) << "PARLAB_FAKE_OPENBLAS_CORE is not set";
  // ASan insists on being first among the libraries; the stand-in needs none of it.
  const std::string env = std::string("env -u OPENBLAS_CORETYPE -u ") + kOpenBlasOwnCoreVariable +
                          " LD_PRELOAD=" + (fake ? fake : "") +
                          " ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" +
                          (coretype == "-" ? "" : " OPENBLAS_CORETYPE=" + coretype);
  const ParlabRun ran = RunParlabShell("env --json", env);
  EXPECT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  google::protobuf::Struct root;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(ran.out, &root).ok()) << ran.out;
  const auto blas = root.fields().find("blas");
  return blas != root.fields().end() ? blas->second.struct_value() : google::protobuf::Struct();
}

std::string Field(const google::protobuf::Struct& object, const char* name) {
  const auto it = object.fields().find(name);
  return it != object.fields().end() ? it->second.string_value() : "(missing)";
}

TEST(OpenBlasRestartTest, APickNarrowerThanTheCpuIsReplacedByTheBestCore) {
  const std::string best = BestCoreHere();
  if (best.empty()) GTEST_SKIP() << "this CPU has neither AVX2+FMA nor AVX-512: no better core";
  const google::protobuf::Struct blas = BlasOfEnv("-");
  EXPECT_EQ(Field(blas, "openblas_corename"), best);
  EXPECT_EQ(Field(blas, "openblas_core_choice"),
            "set by parlab (OPENBLAS_CORETYPE=" + best + "): OpenBLAS alone chose Prescott");
}

TEST(OpenBlasRestartTest, AUsersOwnCoreTypeIsKept) {
  const google::protobuf::Struct blas = BlasOfEnv("Sandybridge");
  EXPECT_EQ(Field(blas, "openblas_corename"), "Sandybridge");
  EXPECT_EQ(Field(blas, "openblas_core_choice"),
            "OPENBLAS_CORETYPE=Sandybridge from the environment");
}

}  // namespace
}  // namespace parlab
