#pragma once

// The trainer as a plugin that the codesign programs load on demand (dlopen). Linking
// libtorch into them would cost every command, `codesign devices` included, about 0.7 s of
// libtorch's start-up; loaded only for `train` or `--qor torch`, nobody else pays.
// No libtorch types here: include it anywhere.
#include "core/qor/qor_evaluator.h"
#include "core/util/result.h"

#include <memory>
#include <string>
#include <vector>

namespace codesign::train {

struct TorchQorOptions;
struct GradientRequest; // loss_gradients.h
struct LossGradients;

// What the plugin offers. The plugin is built from the same sources and flags as its
// host, so C++ types cross the boundary unchanged.
struct TrainPlugin {
    // `codesign train ARGS...` (app/cli/cmd_train.cpp): returns the exit status.
    int (*runTrainCommand)(const std::vector<std::string>& args) = nullptr;
    // makeTorchQorEvaluator() of torch_qor_evaluator.h.
    Result<std::unique_ptr<QorEvaluator>> (*makeTorchQorEvaluator)(const TorchQorOptions&) =
        nullptr;
    // lossGradients() of loss_gradients.h: per layer, dL/dW per batch, for the low-rank
    // transform's Taylor ranks.
    Result<LossGradients> (*lossGradients)(const GradientRequest&) = nullptr;
};

// Loads the plugin once: CODESIGN_TRAIN_PLUGIN if set, else libcodesign-train.so in
// ../lib/codesign from the running executable (installed), else the build tree's file. The error
// names the paths tried and what dlopen said (a build without libtorch has no plugin).
Result<const TrainPlugin*> loadTrainPlugin();

} // namespace codesign::train

// The plugin's one exported symbol.
extern "C" const codesign::train::TrainPlugin* codesign_train_plugin();
