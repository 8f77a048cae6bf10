# The Debian package: `cpack -G DEB` in a build tree gives qftp-kit_<version>_<arch>.deb with the
# installed layout under /usr (tools in /usr/bin, data in /usr/share/qftp-kit, documentation in
# /usr/share/doc/qftp-kit). Library dependencies come from dpkg-shlibdeps; the rest are declared.
set(CPACK_PACKAGE_NAME qftp-kit)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "QFTP kit")
set(CPACK_PACKAGE_CONTACT "QFTP kit maintainers <qftp-kit@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Conformance and fuzz kit for the AT+QFTP* commands of Quectel GSM modules")
set(CPACK_PACKAGE_DESCRIPTION
    "qftp-emu, an emulated Quectel GSM modem speaking the AT+QFTP* commands; qftp-conformance, a\
 conformance suite that drives a modem or the emulator through every command, limit, error code\
 and example of Quectel's GSM FTP AT Commands V1.1; qftp-fixture, a fault-injecting FTP server.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # qftp-kit_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The fixture runs under Debian's interpreter with pyftpdlib; the suite starts it for every run.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "python3, python3-pyftpdlib")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "socat, ser2net")
set(CPACK_STRIP_FILES ON)
include(CPack)
