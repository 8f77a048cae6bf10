# The kit's layout: tools in bin/, their data in share/qftp-kit/. A build tree mirrors the installed
# layout (build/share/qftp-kit/* and build/bin/qftp-fixture are links into the source tree), so
# that the tools find their data one way only: share/qftp-kit/ beside their own bin/.
include(GNUInstallDirs)
set(QFTP_DATA_SUBDIR ${CMAKE_INSTALL_DATADIR}/qftp-kit)
set(QFTP_BUILD_DATA_DIR ${CMAKE_BINARY_DIR}/${QFTP_DATA_SUBDIR})
file(MAKE_DIRECTORY ${QFTP_BUILD_DATA_DIR} ${CMAKE_RUNTIME_OUTPUT_DIRECTORY})

# <name in share/qftp-kit/>=<source directory>
set(QFTP_DATA_DIRS
  requirements=conformance/requirements    # the requirement inventory
  transcripts=conformance/transcripts      # the spec's chapter-4 examples
  profiles=conformance/profiles            # PICS/PIXIT profiles of qftp-conformance
  emulator-profiles=reference_impl/profiles   # device profiles of qftp-emu
  fuzz-corpus=fuzz/corpus)                 # the libFuzzer seed corpora, qftp-dutfuzz's seeds too
foreach(entry IN LISTS QFTP_DATA_DIRS)
  string(REPLACE "=" ";" pair ${entry})
  list(GET pair 0 name)
  list(GET pair 1 source)
  file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${source} ${QFTP_BUILD_DATA_DIR}/${name} SYMBOLIC)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${source}/ DESTINATION ${QFTP_DATA_SUBDIR}/${name})
endforeach()

# The fixture FTP server is a tool of its own: bin/qftp-fixture (#!/usr/bin/python3).
file(CREATE_LINK ${PROJECT_SOURCE_DIR}/fixtures/ftp_fixture.py
     ${CMAKE_RUNTIME_OUTPUT_DIRECTORY}/qftp-fixture SYMBOLIC)
install(PROGRAMS fixtures/ftp_fixture.py DESTINATION ${CMAKE_INSTALL_BINDIR} RENAME qftp-fixture)

# The version and commit every tool prints with --version and every report carries.
set(QFTP_VERSION_CPP ${CMAKE_BINARY_DIR}/generated/kit_version.cpp)
set(QFTP_VERSION_TXT ${QFTP_BUILD_DATA_DIR}/VERSION)
set(QFTP_COMMIT "" CACHE STRING "The commit the tools report (default: git's, at build time)")
add_custom_target(qftp_kit_version_stamp
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DVERSION=${PROJECT_VERSION}
          -DCOMMIT=${QFTP_COMMIT} -DOUT_CPP=${QFTP_VERSION_CPP} -DOUT_TXT=${QFTP_VERSION_TXT}
          -P ${CMAKE_CURRENT_LIST_DIR}/kit_version.cmake
  BYPRODUCTS ${QFTP_VERSION_CPP} ${QFTP_VERSION_TXT}
  COMMENT "Stamping the kit's version and commit"
  VERBATIM)
add_library(qftp_kit_version STATIC ${QFTP_VERSION_CPP})
add_dependencies(qftp_kit_version qftp_kit_version_stamp)
target_include_directories(qftp_kit_version PUBLIC ${PROJECT_SOURCE_DIR}/reference_impl)
target_compile_features(qftp_kit_version PUBLIC cxx_std_20)
install(FILES ${QFTP_VERSION_TXT} DESTINATION ${QFTP_DATA_SUBDIR})

# The kit's own documentation, in the source tree's folders so that its relative links hold.
set(QFTP_DOC_SUBDIR ${CMAKE_INSTALL_DATAROOTDIR}/doc/qftp-kit)
install(DIRECTORY docs DESTINATION ${QFTP_DOC_SUBDIR})
foreach(readme README.md conformance/README.md fixtures/README.md fuzz/README.md)
  get_filename_component(folder ${readme} DIRECTORY)
  install(FILES ${readme} DESTINATION ${QFTP_DOC_SUBDIR}/${folder})
endforeach()
