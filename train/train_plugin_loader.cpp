#include "train_plugin.h"

#include <cstdlib>
#include <dlfcn.h>
#include <filesystem>
#include <mutex>
#include <optional>

namespace codesign::train {
namespace {

std::vector<std::string> candidatePaths() {
    std::vector<std::string> paths;
    if (const char* env = std::getenv("CODESIGN_TRAIN_PLUGIN"); env && *env)
        paths.emplace_back(env);
    std::error_code ec; // an installed program: <prefix>/bin/codesign, <prefix>/lib/codesign/
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec)
        paths.push_back(
            (exe.parent_path().parent_path() / "lib" / "codesign" / "libcodesign-train.so")
                .string());
#ifdef CODESIGN_TRAIN_PLUGIN_BUILD_PATH // a program run from its build tree
    paths.emplace_back(CODESIGN_TRAIN_PLUGIN_BUILD_PATH);
#endif
    return paths;
}

Result<const TrainPlugin*> load() {
    std::string tried;
    for (const std::string& path : candidatePaths()) {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) {
            tried += "\n  " + path + ": no such file";
            continue;
        }
        // RTLD_LOCAL: the plugin's own copy of the core stays private to it.
        void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            const char* why = ::dlerror();
            tried += "\n  " + path + ": " + (why ? why : "cannot load");
            continue;
        }
        using Entry = const TrainPlugin* (*)();
        void* symbol = ::dlsym(handle, "codesign_train_plugin");
        if (!symbol) {
            tried += "\n  " + path + ": not a Codesign Studio training plugin";
            continue;
        }
        return reinterpret_cast<Entry>(symbol)(); // the handle stays open for the process
    }
    return makeError("this installation has no trainer (it was built without libtorch, or "
                     "the training plugin is missing); looked for:" +
                     tried);
}

} // namespace

Result<const TrainPlugin*> loadTrainPlugin() {
    static std::once_flag once;
    static std::optional<Result<const TrainPlugin*>> loaded;
    std::call_once(once, [] { loaded.emplace(load()); });
    return *loaded;
}

} // namespace codesign::train
