#include "shared/build_info.h"

// parlab_shared's CMakeLists.txt defines these; a stray compile of this file
// outside that target still builds and says so.
#ifndef PARLAB_BUILD_TYPE
#define PARLAB_BUILD_TYPE "unknown"
#endif
#ifndef PARLAB_CXX_COMPILER
#define PARLAB_CXX_COMPILER "unknown"
#endif
#ifndef PARLAB_CXX_FLAGS
#define PARLAB_CXX_FLAGS ""
#endif

namespace parlab {
namespace {

// GCC defines __SANITIZE_*__; clang answers through __has_feature.
#if defined(__has_feature)
#define PARLAB_HAS_FEATURE(x) __has_feature(x)
#else
#define PARLAB_HAS_FEATURE(x) 0
#endif

#if defined(__SANITIZE_ADDRESS__) || PARLAB_HAS_FEATURE(address_sanitizer)
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif
#if defined(__SANITIZE_THREAD__) || PARLAB_HAS_FEATURE(thread_sanitizer)
constexpr bool kTsan = true;
#else
constexpr bool kTsan = false;
#endif

#if defined(__OPTIMIZE_SIZE__)
#define PARLAB_OBSERVED_OPT "-Os"
#elif defined(__OPTIMIZE__)
#define PARLAB_OBSERVED_OPT "optimisation on (-O1 or higher)"
#else
#define PARLAB_OBSERVED_OPT "-O0"
#endif
#ifdef NDEBUG
#define PARLAB_OBSERVED_NDEBUG ", -DNDEBUG"
#else
#define PARLAB_OBSERVED_NDEBUG ", assertions on"
#endif

}  // namespace

std::string_view BuildType() { return PARLAB_BUILD_TYPE; }
std::string_view CompilerId() { return PARLAB_CXX_COMPILER; }

std::string_view CompilerFlags() {
  // CMake joins two variables with a space, so an empty one leaves stray blanks.
  std::string_view flags = PARLAB_CXX_FLAGS;
  while (!flags.empty() && flags.front() == ' ') flags.remove_prefix(1);
  while (!flags.empty() && flags.back() == ' ') flags.remove_suffix(1);
  if (!flags.empty()) return flags;
  // Nothing recorded (shared/CMakeLists.txt reads CMAKE_CXX_FLAGS_<type> with the
  // type's own case, "Release", where CMake's variable is CMAKE_CXX_FLAGS_RELEASE):
  // say what the compiler itself reports about this very file instead.
  return "not recorded; the compiler reports " PARLAB_OBSERVED_OPT PARLAB_OBSERVED_NDEBUG;
}

std::string_view Sanitizers() {
  // UBSan leaves no macro behind, so only these two can be seen from inside.
  if (kAsan && kTsan) return "address,thread";
  if (kAsan) return "address";
  if (kTsan) return "thread";
  return "";
}

bool IsReleaseBuildType(std::string_view build_type) {
  return build_type == "Release" || build_type == "RelWithDebInfo";
}

bool IsReleaseBuild() { return IsReleaseBuildType(BuildType()) && Sanitizers().empty(); }

}  // namespace parlab
