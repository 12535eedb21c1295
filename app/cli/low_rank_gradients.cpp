#include "low_rank_gradients.h"

#ifdef CODESIGN_HAVE_TORCH
#include "train/loss_gradients.h"
#include "train/train_plugin.h"
#endif

#include <iostream>

namespace codesign::cli {

bool wantsGradients(const Args& args) {
    return args.has("data") || args.has("synthetic");
}

Result<transform::LayerGradients> gradientsFromTrainer(const Args& args, const Graph& graph,
                                                       const reference::WeightSet& weights) {
    if (args.has("data") && args.has("synthetic"))
        return makeError("give --data DIR or --synthetic N, not both");
    long long images = 64;
    const std::string countOption = args.has("synthetic") ? "synthetic" : "max-images";
    if (args.has(countOption) && (!parseNumber(args.option(countOption), images) || images < 1))
        return makeError("--" + countOption + " needs a whole number of at least 1, not '" +
                         args.option(countOption) + "'");
#ifdef CODESIGN_HAVE_TORCH
    Result<const train::TrainPlugin*> plugin = train::loadTrainPlugin();
    if (!plugin.ok())
        return makeError(plugin.error().message);
    train::GradientRequest request;
    request.graph = graph;
    request.weights = weights;
    request.data.path = args.option("data");
    request.data.synthetic.count = int(images);
    request.data.maxImages = std::size_t(images);
    request.progress = [](int done, int total) {
        std::cerr << "low-rank: loss gradients, batch " << done << " of " << total << "\n";
    };
    std::cerr << "low-rank: loss gradients on "
              << (args.has("data") ? args.option("data")
                                   : std::to_string(images) + " synthetic images")
              << "\n";
    Result<train::LossGradients> gradients = (*plugin)->lossGradients(request);
    if (!gradients.ok()) {
        Diagnostic d = gradients.error();
        if (args.has("data") && d.file.empty())
            d.message = args.option("data") + ": " + d.message;
        return d;
    }
    double mean = 0;
    for (double loss : gradients->losses)
        mean += loss / double(gradients->losses.size());
    std::cerr << "low-rank: mean loss " << mean << " over " << gradients->losses.size()
              << " batches\n";
    return std::move(gradients->layers);
#else
    (void)graph;
    (void)weights;
    return makeError("--data and --synthetic need the trainer, and this build has none "
                     "(configured without libtorch)");
#endif
}

} // namespace codesign::cli
