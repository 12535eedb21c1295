#pragma once

// The training options shared by `codesign train` and `codesign explore --qor torch`
// (docs/training.md). Compiled into the program only when the trainer is built.
#include "cli_args.h"
#include "train/sample_set.h"
#include "train/trainer.h"

#include <set>
#include <string>

namespace codesign::cli {

// Options with a value that readTrainOptions reads; trainFlagNames() its flags ("skip-bad",
// "fast"). Without "seed": explore's --seed is the search's.
std::set<std::string> trainOptionNames();
std::set<std::string> trainFlagNames();

// Reads the options present in `args` into `o`, `data` and `resolution` (the share of the
// input resolution to train at); --fast first sets the fast-training recipe, which the other
// options then override. Returns an error message for badInput(), or empty. Reads --seed only
// when `readSeed`.
std::string readTrainOptions(const Args& args, train::TrainOptions& o, train::DataSpec& data,
                             double& resolution, bool readSeed);

} // namespace codesign::cli
