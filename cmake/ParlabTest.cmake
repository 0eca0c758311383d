# parlab_add_test(NAME name SOURCES a.cc ... LIBS lib ... LABELS unit|integration|slow TIMEOUT s)
# One executable per test file (leveldb's leveldb_test(), abseil's absl_cc_test).
# Multi-process tests fail by hanging, so every test has a TIMEOUT.
# Tests include their helpers from the repository root ("tests/support/...")
# through one link, so they see tests/ and the libraries they link — not the
# whole source tree.
set(PARLAB_TESTS_INCLUDE_ROOT "${PROJECT_BINARY_DIR}/include/parlab_tests")
file(MAKE_DIRECTORY "${PARLAB_TESTS_INCLUDE_ROOT}")
file(CREATE_LINK "${PROJECT_SOURCE_DIR}/tests" "${PARLAB_TESTS_INCLUDE_ROOT}/tests" SYMBOLIC)

function(parlab_add_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 60)
  endif()
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main parlab_warnings)
  target_include_directories(${T_NAME} PRIVATE "${PARLAB_TESTS_INCLUDE_ROOT}")
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT})
endfunction()
