# Regenerates build/generated/version.cpp at every build, touching it only when the commit changes,
# so `hubbench --version` and the provenance stored with results name the commit actually built.
set(HUBBENCH_VERSION_CPP "${CMAKE_BINARY_DIR}/generated/version.cpp")
add_custom_target(hubbench_version_file
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DOUTPUT=${HUBBENCH_VERSION_CPP}
          -DVERSION=${PROJECT_VERSION} -P ${PROJECT_SOURCE_DIR}/cmake/write_version.cmake
  BYPRODUCTS ${HUBBENCH_VERSION_CPP}
  COMMENT "Recording the git commit")
