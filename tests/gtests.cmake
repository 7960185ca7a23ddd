# fieldscope_gtests(TARGET [TEST_FILTER F] [TEST_PREFIX P] [DISCOVERY_TIMEOUT S] [PROPERTIES ...]): the
# tests of one GoogleTest binary as ctest entries. Normally one entry per test case
# (gtest_discover_tests, same arguments). In the sanitizer build (tests/sanitize.cmake) one entry
# per binary and filter, named P + TARGET + [F]: a sanitized process takes ~2 s to start (LibTorch's
# libraries under ASan's interceptors), which over ~450 test cases was half of that run's time.
include(GoogleTest)
function(fieldscope_gtests target)
  if(NOT FIELDSCOPE_SANITIZE)
    gtest_discover_tests(${ARGV})
    return()
  endif()
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "TEST_FILTER;TEST_PREFIX;DISCOVERY_TIMEOUT" "PROPERTIES")
  set(name "${arg_TEST_PREFIX}${target}")
  set(filter "*")
  if(arg_TEST_FILTER)
    set(filter "${arg_TEST_FILTER}")
    set(name "${name}[${filter}]")
  endif()
  add_test(NAME ${name} COMMAND ${target} --gtest_filter=${filter})
  if(arg_PROPERTIES)
    set_tests_properties(${name} PROPERTIES ${arg_PROPERTIES})
  endif()
  # A whole binary runs in one entry: the per-case TIMEOUT of PROPERTIES becomes 40 minutes.
  set_tests_properties(${name} PROPERTIES TIMEOUT 2400)
endfunction()
