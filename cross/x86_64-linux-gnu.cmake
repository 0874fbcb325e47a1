# Toolchain for x86_64 boards and PCs (Debian amd64). On an x86_64 host the
# compiler is the native one under its triplet name; elsewhere it is Debian's
# g++-x86-64-linux-gnu (/usr/x86_64-linux-gnu) and programs run under qemu.
# minik's third-party libraries are the amd64 -dev packages that
# cross/build.sh unpacks into cross/sysroot-x86_64, so the result does not
# depend on which -dev packages the host happens to have installed.
#
# Usage: cmake -DCMAKE_TOOLCHAIN_FILE=cross/x86_64-linux-gnu.cmake ...
# (`cross/build.sh x86_64` fills the sysroot first, then does exactly that).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(MINIK_CROSS_TRIPLET x86_64-linux-gnu)
set(MINIK_CROSS_SYSROOT ${CMAKE_CURRENT_LIST_DIR}/sysroot-x86_64)

set(CMAKE_C_COMPILER ${MINIK_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${MINIK_CROSS_TRIPLET}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${MINIK_CROSS_TRIPLET})
if(NOT CMAKE_HOST_SYSTEM_PROCESSOR STREQUAL "x86_64")
  set(CMAKE_CROSSCOMPILING_EMULATOR qemu-x86_64-static)
endif()

# Libraries and headers come only from the target side (the cross C library
# where there is one, then the unpacked packages). On an x86_64 host the
# compiler still finds its own C library in /usr; only the packages' archives
# are looked up here. Arch-independent headers (nlohmann, catch2) are linked
# into the sysroot by build.sh; llhttp's sources are found outside any root.
set(CMAKE_FIND_ROOT_PATH /usr/${MINIK_CROSS_TRIPLET} ${MINIK_CROSS_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# The sysroot holds no C library, so it cannot be the compiler's --sysroot;
# its headers are searched after the compiler's own, for every source.
set(CMAKE_C_STANDARD_INCLUDE_DIRECTORIES
  ${MINIK_CROSS_SYSROOT}/usr/include ${MINIK_CROSS_SYSROOT}/usr/include/${MINIK_CROSS_TRIPLET})
set(CMAKE_CXX_STANDARD_INCLUDE_DIRECTORIES ${CMAKE_C_STANDARD_INCLUDE_DIRECTORIES})
set(ENV{PKG_CONFIG_LIBDIR} ${MINIK_CROSS_SYSROOT}/usr/lib/${MINIK_CROSS_TRIPLET}/pkgconfig)
set(ENV{PKG_CONFIG_SYSROOT_DIR} ${MINIK_CROSS_SYSROOT})
