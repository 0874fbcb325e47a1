# Toolchain for 32-bit ARM boards with hardware float (Debian armhf: ARMv7,
# VFPv3-D16, Thumb-2). The compiler and C library are Debian's
# g++-arm-linux-gnueabihf (/usr/arm-linux-gnueabihf); minik's third-party
# libraries are the armhf -dev packages that cross/build.sh unpacks into
# cross/sysroot-armhf. Target programs run under qemu-user, named explicitly
# because binfmt_misc may not be mounted.
#
# Usage: cmake -DCMAKE_TOOLCHAIN_FILE=cross/arm-linux-gnueabihf.cmake ...
# (`cross/build.sh armhf` fills the sysroot first, then does exactly that).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(MINIK_CROSS_TRIPLET arm-linux-gnueabihf)
set(MINIK_CROSS_SYSROOT ${CMAKE_CURRENT_LIST_DIR}/sysroot-armhf)

set(CMAKE_C_COMPILER ${MINIK_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${MINIK_CROSS_TRIPLET}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${MINIK_CROSS_TRIPLET})
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-arm-static)

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
