# PARLAB_FUZZ: libFuzzer targets (fuzz/). libFuzzer ships with clang only, so
# any other compiler is refused here rather than failing at link time.
# Everything is built with ASan + UBSan and the fuzzer's coverage
# instrumentation (fuzzer-no-link), so the libraries a target links report
# memory errors and give coverage feedback too; only the fuzz executables
# link libFuzzer's main (fuzz/CMakeLists.txt).
if(PARLAB_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR
      "PARLAB_FUZZ needs clang (libFuzzer), but the C++ compiler is ${CMAKE_CXX_COMPILER_ID}. "
      "Configure a fresh build directory with CC=clang CXX=clang++, e.g. scripts/fuzz.sh.")
  endif()
  if(PARLAB_SANITIZE)
    message(FATAL_ERROR "PARLAB_FUZZ already enables address,undefined: leave PARLAB_SANITIZE empty")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer -g1)
  add_link_options(-fsanitize=address,undefined)
endif()
