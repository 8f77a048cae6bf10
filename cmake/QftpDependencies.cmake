# Checks, before anything is configured, that the Debian packages the kit builds and tests with are
# present, and lists the missing ones in QFTP_MISSING_PACKAGES with the command that installs them,
# so that configuration stops at once instead of in the middle with a CMake backtrace. ci/setup
# installs every package named here (a ctest checks that it does).
set(QFTP_MISSING_PACKAGES)

# qftp_require(<debian-package> FIND <find_package arguments> | PROGRAM <name> | PYTHON <module>)
function(qftp_require package kind)
  if(kind STREQUAL "FIND")
    find_package(${ARGN} QUIET)
    list(GET ARGN 0 name)
    set(found ${${name}_FOUND})
  elseif(kind STREQUAL "PROGRAM")
    find_program(QFTP_PROGRAM_${ARGV2} ${ARGV2})
    set(found ${QFTP_PROGRAM_${ARGV2}})
  elseif(kind STREQUAL "PYTHON")
    # Debian's interpreter on purpose: the python3 first on PATH may lack Debian's modules.
    execute_process(COMMAND /usr/bin/python3 -c "import ${ARGV2}" RESULT_VARIABLE rc
                    OUTPUT_QUIET ERROR_QUIET)
    if(rc EQUAL 0)
      set(found TRUE)
    else()
      set(found FALSE)
    endif()
  endif()
  if(NOT found)
    list(APPEND QFTP_MISSING_PACKAGES ${package})
    set(QFTP_MISSING_PACKAGES ${QFTP_MISSING_PACKAGES} PARENT_SCOPE)
  endif()
endfunction()

# Fuzz builds need only the compiler (OSS-Fuzz toolchains have none of Debian's libraries).
if(NOT QFTP_BUILD_FUZZERS)
  qftp_require(libboost-dev FIND Boost 1.74)
  qftp_require(libboost-filesystem-dev FIND Boost 1.74 COMPONENTS filesystem)
  qftp_require(libcli11-dev FIND CLI11)
  qftp_require(nlohmann-json3-dev FIND nlohmann_json)
  qftp_require(libyaml-cpp-dev FIND yaml-cpp)
  qftp_require(libgtest-dev FIND GTest)
  qftp_require(python3-pyftpdlib PYTHON pyftpdlib)
  if(QFTP_BUILD_TESTS)
    qftp_require(python3-pytest PYTHON pytest)
    qftp_require(curl PROGRAM curl)
    qftp_require(lftp PROGRAM lftp)
    qftp_require(socat PROGRAM socat)
    qftp_require(libxml2-utils PROGRAM xmllint)
  endif()
endif()

# The top-level CMakeLists.txt stops with this message (from there, without a call stack).
list(REMOVE_DUPLICATES QFTP_MISSING_PACKAGES)
list(JOIN QFTP_MISSING_PACKAGES " " QFTP_MISSING_MESSAGE)
string(PREPEND QFTP_MISSING_MESSAGE "Missing Debian packages: ")
string(APPEND QFTP_MISSING_MESSAGE
       "\nInstall everything the kit needs with:  sudo ci/setup   (ci/setup --check lists what is missing)")
