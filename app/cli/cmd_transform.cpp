// codesign transform PROJECT (--low-rank ... | --fuse half|full ...): picks the transform
// by its flag (docs/transforms.md); each lives in its own file.
#include "cmd_transform.h"

#include "cli_args.h"
#include "commands.h"

#include <algorithm>
#include <iostream>

namespace codesign::cli {
namespace {

bool hasFlag(const std::vector<std::string>& args, const std::string& flag) {
    return std::any_of(args.begin(), args.end(), [&](const std::string& a) {
        return a == flag || a.rfind(flag + "=", 0) == 0;
    });
}

} // namespace

int runTransform(const std::vector<std::string>& args) {
    const bool lowRank = hasFlag(args, "--low-rank");
    const bool fuse = hasFlag(args, "--fuse");
    if (lowRank && fuse)
        return badInput("give one transform: --low-rank or --fuse, not both");
    if (lowRank)
        return runLowRankTransform(args);
    if (fuse)
        return runFuseTransform(args);
    if (hasFlag(args, "--help")) {
        std::cout << "usage: codesign transform PROJECT --low-rank ... | --fuse half|full ...\n"
                     "  codesign transform --low-rank --help   the low-rank (SVD) transform\n"
                     "  codesign transform --fuse half --help  depthwise layers into FuSe form\n";
        return kExitOk;
    }
    return badInput("transform needs a transform: --low-rank or --fuse half|full (see codesign "
                    "transform --help)");
}

} // namespace codesign::cli
