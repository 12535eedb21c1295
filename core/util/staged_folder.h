#pragma once

// An output folder written as one transaction (the export's, the search's outputs): files
// go into a hidden temporary folder beside DIR (".DIR.partial-PID-XXXXXX"), and only
// commit() puts it at DIR with a rename. A writer that fails, is cancelled or is killed
// leaves DIR as it was; a committed DIR holds only what this writer wrote.
#include "result.h"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace codesign {

class StagedFolder {
public:
    // Refuses a DIR that exists and is not empty unless `force`; removes leftovers of
    // earlier writers to DIR whose process is gone.
    static Result<std::unique_ptr<StagedFolder>> begin(const std::filesystem::path& dir,
                                                       bool force);
    ~StagedFolder(); // removes the temporary folder unless committed

    StagedFolder(const StagedFolder&) = delete;
    StagedFolder& operator=(const StagedFolder&) = delete;

    Status write(const std::string& relativePath, std::string_view bytes, bool executable = false);
    Status commit();

    const std::filesystem::path& temporary() const { return temp_; }
    const std::vector<std::string>& files() const { return files_; }

private:
    StagedFolder(std::filesystem::path dir, std::filesystem::path temp)
        : dir_(std::move(dir)), temp_(std::move(temp)) {}

    std::filesystem::path dir_;
    std::filesystem::path temp_;
    std::vector<std::string> files_;
    bool committed_ = false;
};

} // namespace codesign
