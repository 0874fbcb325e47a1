# Toolchain for 64-bit ARM boards (Debian arm64). The compiler and C library
# are Debian's g++-aarch64-linux-gnu (/usr/aarch64-linux-gnu); minik's
# third-party libraries are the arm64 -dev packages that cross/build.sh
# unpacks into cross/sysroot-aarch64. Target programs run under qemu-user,
# named explicitly because binfmt_misc may not be mounted.
#
# Usage: cmake -DCMAKE_TOOLCHAIN_FILE=cross/aarch64-linux-gnu.cmake ...
# (`cross/build.sh aarch64` fills the sysroot first, then does exactly that).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(MINIK_CROSS_TRIPLET aarch64-linux-gnu)
set(MINIK_CROSS_SYSROOT ${CMAKE_CURRENT_LIST_DIR}/sysroot-aarch64)

set(CMAKE_C_COMPILER ${MINIK_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${MINIK_CROSS_TRIPLET}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${MINIK_CROSS_TRIPLET})
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64-static)

# Libraries and headers come only from the target side (the cross C library,
# then the unpacked packages), so a host x86 archive can never be linked in.
# Arch-independent headers (nlohmann, catch2) are linked into the sysroot by
# build.sh; llhttp's sources are found by CMakeLists.txt outside any root.
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
