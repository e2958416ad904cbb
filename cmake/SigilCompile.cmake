# Compile settings shared by every Sigil target.

# sigil_target_options(<target>): warnings (as errors for our code) and sanitizers.
function(sigil_target_options target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wconversion -Wsign-conversion -Wdouble-promotion
    -Wformat=2 -Wimplicit-fallthrough)
  if(SIGIL_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(SIGIL_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()

# sigil_library(<name> DIR <dir> LINKS <deps...>): a static library from every .cpp in <dir>
# that is not a test, benchmark or fuzz target. Headers are included as "sigil/<lib>/x.hpp"
# through the src/ include root... see below.
function(sigil_library name)
  cmake_parse_arguments(ARG "" "" "LINKS;PRIVATE_LINKS" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  list(FILTER srcs EXCLUDE REGEX "_(test|benchmark|fuzz)\\.cpp$")
  add_library(${name} STATIC ${srcs})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_LINKS} PRIVATE ${ARG_PRIVATE_LINKS})
  sigil_target_options(${name})
endfunction()

# sigil_tests(<name> LINKS <deps...>): one GoogleTest binary from every *_test.cpp in this dir.
function(sigil_tests name)
  if(NOT SIGIL_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "LINKS" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
  if(NOT srcs)
    return()
  endif()
  add_executable(${name} ${srcs})
  target_link_libraries(${name} PRIVATE ${ARG_LINKS} GTest::gtest GTest::gtest_main GTest::gmock
                                        rapidcheck rapidcheck_gtest)
  target_compile_definitions(${name} PRIVATE SIGIL_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  sigil_target_options(${name})
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit)
endfunction()

if(SIGIL_FUZZ)
  # Instrument every library for coverage-guided fuzzing; the fuzz binaries add the driver.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
