# Installs the built rectify into a scratch prefix, then configures, builds and runs the
# consumer project against it with find_package(rectify CONFIG REQUIRED).
# -D BUILD_DIR=<rectify build> -D SOURCE_DIR=<rectify source> -D WORK_DIR=<scratch> -D GENERATOR=...
file(REMOVE_RECURSE ${WORK_DIR})
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(LAST_OUTPUT "${out}" PARENT_SCOPE)
endfunction()
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix)
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumer -B ${WORK_DIR}/build -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${WORK_DIR}/build/consumer ${SOURCE_DIR}/examples/data/scheme.json ${SOURCE_DIR}/examples/data/units.csv
    ${SOURCE_DIR}/examples/data/ledger.json ${SOURCE_DIR}/examples/data/meetings.csv)
if(NOT LAST_OUTPUT MATCHES "^units=[0-9]+ top=[A-Za-z0-9_]+\nsmaa=1\nledger=[0-9]+ ok\nmeetings=[1-9][0-9]*\n$")
  message(FATAL_ERROR "unexpected consumer output: ${LAST_OUTPUT}")
endif()
message(STATUS "consumer: ${LAST_OUTPUT}")
