# Unit tests: one Catch2 program built from tests/unit/*.cpp, registered once
# per source file (Catch2's "-#" tags each test case with [#<file>]).
file(GLOB MINIK_UNIT_SRCS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/unit/*.cpp)
add_executable(minik-unit ${MINIK_UNIT_SRCS})
target_include_directories(minik-unit PRIVATE ${CATCH2_INCLUDE_DIR} ${LIBNL_INCLUDE_DIR})
target_link_libraries(minik-unit PRIVATE minik_cli minik_apiserver minik_controllers minik_netagent
  minik_dns minik_runtime minik_client minik_api minik_store llhttp
  ${YAMLCPP_LIB} ${SQLITE3_LIB} ${UV_LIB} ${NLROUTE_LIB} ${NLGENL_LIB} ${NL3_LIB}
  Threads::Threads ${CMAKE_DL_LIBS} m)
if(MINIK_PCH)
  target_precompile_headers(minik-unit PRIVATE <nlohmann/json.hpp> <catch2/catch.hpp>)
  # main.cpp defines CATCH_CONFIG_MAIN before it includes Catch.
  set_source_files_properties(${CMAKE_SOURCE_DIR}/tests/unit/main.cpp PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
endif()
foreach(src ${MINIK_UNIT_SRCS})
  get_filename_component(t ${src} NAME_WE)
  if(NOT t STREQUAL "main")
    add_test(NAME unit/${t} COMMAND minik-unit "[#${t}]" "-#")
  endif()
endforeach()

# Integration tests: scripts that start the real minik binary and drive it
# with real clients (kubectl, dig, ...). Each gets MINIK=<path to binary>.
file(GLOB MINIK_IT_SCRIPTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/integration/*.sh)
foreach(script ${MINIK_IT_SCRIPTS})
  get_filename_component(t ${script} NAME_WE)
  if(NOT t STREQUAL "lib")
    add_test(NAME integration/${t} COMMAND bash ${script})
    set_tests_properties(integration/${t} PROPERTIES
      ENVIRONMENT "MINIK=$<TARGET_FILE:minik>;MINIK_SOURCE_DIR=${CMAKE_SOURCE_DIR};MINIK_BUILD_DIR=${CMAKE_BINARY_DIR}"
      SKIP_RETURN_CODE 77 TIMEOUT 600)
  endif()
endforeach()
# Two full cross compiles of minik: far longer than the other tests on a
# loaded 2-core machine.
if(TEST integration/cross_smoke)
  set_tests_properties(integration/cross_smoke PROPERTIES TIMEOUT 1800)
endif()
