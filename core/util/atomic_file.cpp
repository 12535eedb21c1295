#include "atomic_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace codesign {
namespace {

Diagnostic ioError(const std::filesystem::path& path, const char* what) {
    Diagnostic d = makeError(std::string("cannot ") + what + ": " + std::strerror(errno));
    d.file = path.string();
    return d;
}

} // namespace

Status writeFileAtomic(const std::filesystem::path& path, std::string_view bytes, bool executable) {
    std::string temp = path.string() + ".tmp-XXXXXX";
    const int fd = ::mkstemp(temp.data());
    if (fd < 0)
        return ioError(path, "create a temporary file");
    const char* data = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, data, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const Diagnostic d = ioError(path, "write");
            ::close(fd);
            ::unlink(temp.c_str());
            return d;
        }
        data += n;
        left -= static_cast<std::size_t>(n);
    }
    if (::fchmod(fd, executable ? 0755 : 0644) != 0 || ::fsync(fd) != 0) {
        const Diagnostic d = ioError(path, "flush");
        ::close(fd);
        ::unlink(temp.c_str());
        return d;
    }
    ::close(fd);
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const Diagnostic d = ioError(path, "replace");
        ::unlink(temp.c_str());
        return d;
    }
    return okStatus();
}

} // namespace codesign
