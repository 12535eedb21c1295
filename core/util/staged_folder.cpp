#include "staged_folder.h"

#include "atomic_file.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

namespace codesign {
namespace fs = std::filesystem;
namespace {

std::string partialPrefix(const fs::path& dir) {
    return "." + dir.filename().string() + ".partial-";
}

// Leftovers of writers that were killed: ".DIR.partial-PID-XXXXXX" with PID gone.
void removeStalePartials(const fs::path& dir) {
    std::error_code ec;
    const std::string prefix = partialPrefix(dir);
    for (const fs::directory_entry& e : fs::directory_iterator(dir.parent_path(), ec)) {
        const std::string name = e.path().filename().string();
        if (name.rfind(prefix, 0) != 0)
            continue;
        const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
        if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
            fs::remove_all(e.path(), ec);
    }
}

} // namespace

Result<std::unique_ptr<StagedFolder>> StagedFolder::begin(const fs::path& target, bool force) {
    std::error_code ec;
    const fs::path dir = fs::absolute(target, ec).lexically_normal();
    if (dir.filename().empty() || dir == dir.root_path())
        return makeError("cannot write into '" + target.string() + "': name a folder");
    if (fs::exists(dir, ec)) {
        if (!fs::is_directory(dir, ec))
            return makeError("'" + target.string() + "' exists and is not a folder");
        if (!force && !fs::is_empty(dir, ec))
            return makeError("'" + target.string() +
                             "' is not empty; choose another folder or pass --force to "
                             "replace its contents (nothing was written)");
    }
    const fs::path parent = dir.parent_path();
    fs::create_directories(parent, ec);
    if (ec)
        return makeError("cannot create " + parent.string() + ": " + ec.message());
    removeStalePartials(dir);
    std::string pattern =
        (parent / (partialPrefix(dir) + std::to_string(::getpid()) + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr)
        return makeError("cannot create a temporary folder in " + parent.string() + ": " +
                         std::strerror(errno));
    return std::unique_ptr<StagedFolder>(new StagedFolder(dir, pattern));
}

StagedFolder::~StagedFolder() {
    if (!committed_) {
        std::error_code ec;
        fs::remove_all(temp_, ec);
    }
}

Status StagedFolder::write(const std::string& relativePath, std::string_view bytes,
                           bool executable) {
    const fs::path path = temp_ / relativePath;
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec)
        return makeError("cannot create " + path.parent_path().string() + ": " + ec.message());
    if (Status s = writeFileAtomic(path, bytes, executable); !s.ok())
        return s;
    files_.push_back(relativePath);
    return okStatus();
}

Status StagedFolder::commit() {
    std::error_code ec;
    ::chmod(temp_.c_str(), 0755); // mkdtemp makes it private
    fs::path old;
    if (fs::exists(dir_, ec) && !fs::is_empty(dir_, ec)) {
        // --force: move the old folder aside first, so DIR is never half old, half new.
        std::string pattern = (dir_.parent_path() /
                               (partialPrefix(dir_) + std::to_string(::getpid()) + "-old-XXXXXX"))
                                  .string();
        if (::mkdtemp(pattern.data()) == nullptr)
            return makeError("cannot move the old " + dir_.string() +
                             " aside: " + std::strerror(errno));
        old = fs::path(pattern) / "old";
        fs::rename(dir_, old, ec);
        if (ec)
            return makeError("cannot move the old " + dir_.string() + " aside: " + ec.message());
    }
    fs::rename(temp_, dir_, ec); // replaces an empty DIR
    if (ec) {
        if (!old.empty())
            fs::rename(old, dir_, ec);
        return makeError("cannot rename the new folder to " + dir_.string() + ": " + ec.message());
    }
    committed_ = true;
    if (!old.empty())
        fs::remove_all(old.parent_path(), ec);
    return okStatus();
}

} // namespace codesign
