#pragma once
// How this binary was built: CMake build type, compiler and flags, sanitizers.
// The values are baked in at compile time (shared/CMakeLists.txt passes them to
// parlab_shared), so every report can say what produced its numbers.
// Pure functions over constants; safe from any thread.

#include <string_view>

namespace parlab {

// CMake's CMAKE_BUILD_TYPE: "Release", "Debug", "RelWithDebInfo", "MinSizeRel" or "".
std::string_view BuildType();
// "GNU 12.2.0".
std::string_view CompilerId();
// CMAKE_CXX_FLAGS plus the build type's flags ("-O3 -DNDEBUG"). Options added with
// add_compile_options (-march=native, sanitizers) are not in CMake's flag
// variables, so they do not appear here; BuildSimd() and Sanitizers() show them.
std::string_view CompilerFlags();
// "address,undefined", "thread" or "" — what the compiler says it instrumented.
std::string_view Sanitizers();

// True for the build types whose timings mean something: CMake builds both
// optimised and with -DNDEBUG (Release, RelWithDebInfo). Case-sensitive, as CMake is.
bool IsReleaseBuildType(std::string_view build_type);
// IsReleaseBuildType(BuildType()) and not instrumented by a sanitizer.
bool IsReleaseBuild();

}  // namespace parlab
