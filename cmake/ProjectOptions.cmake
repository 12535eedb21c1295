# One INTERFACE target carries the language standard, the warning set and the Qt safety macros.
# Every target of the project links it; nothing else sets flags.
add_library(codesign_options INTERFACE)
add_library(codesign::options ALIAS codesign_options)

target_compile_features(codesign_options INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)

target_compile_options(codesign_options INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wnull-dereference -Wdouble-promotion -Wformat=2
    -Wimplicit-fallthrough -Wmissing-declarations)

# GCC 12 reports -Wrestrict on `"literal" + std::string` at -O2 and above, a false positive
# in its own <string> (GCC bug 105329, fixed in GCC 13).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(codesign_options INTERFACE -Wno-restrict)
endif()

# Qt safety: no implicit conversions between 8-bit strings and QString, no Qt keywords
# (signals/slots/emit clash with libtorch), QStringBuilder for concatenation.
target_compile_definitions(codesign_options INTERFACE
    QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING QT_USE_QSTRINGBUILDER QT_NO_KEYWORDS
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT QT_DISABLE_DEPRECATED_BEFORE=0x060400)

if(CODESIGN_SANITIZE)
    target_compile_options(codesign_options INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(codesign_options INTERFACE -fsanitize=address,undefined)
endif()
