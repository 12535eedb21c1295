// The training plugin's entry point (see train_plugin.h).
#include "train_plugin.h"

#include "loss_gradients.h"
#include "torch_qor_evaluator.h"

namespace codesign::cli {
int runTrain(const std::vector<std::string>& args); // app/cli/cmd_train.cpp
} // namespace codesign::cli

extern "C" __attribute__((visibility("default"))) const codesign::train::TrainPlugin*
codesign_train_plugin() {
    static const codesign::train::TrainPlugin plugin{&codesign::cli::runTrain,
                                                     &codesign::train::makeTorchQorEvaluator,
                                                     &codesign::train::lossGradients};
    return &plugin;
}
