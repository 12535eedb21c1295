#include "train_options_args.h"

#include "train/fast_training.h"

#include <type_traits>

namespace codesign::cli {
std::set<std::string> trainOptionNames() {
    return {"data", "synthetic", "image-size", "epochs",  "qat-epochs", "batch",
            "lr",   "optimizer", "validation", "threads", "max-images", "resolution"};
}

std::set<std::string> trainFlagNames() {
    return {"skip-bad", "fast"};
}

std::string readTrainOptions(const Args& args, train::TrainOptions& o, train::DataSpec& data,
                             double& resolution, bool readSeed) {
    if (args.flag("fast")) {
        const train::FastTraining fast;
        o.epochs = fast.epochs;
        o.qatEpochs = fast.qatEpochs;
        data.synthetic.count = fast.images;
        data.maxImages = static_cast<std::size_t>(fast.images);
        resolution = fast.resolution;
    }
    auto integer = [&](const char* name, auto& out, long long min) -> std::string {
        if (!args.has(name))
            return {};
        long long v = 0;
        if (!parseNumber(args.option(name), v) || v < min)
            return "--" + std::string(name) + " needs a whole number of at least " +
                   std::to_string(min) + ", not '" + args.option(name) + "'";
        out = static_cast<std::remove_reference_t<decltype(out)>>(v);
        return {};
    };
    auto real = [&](const char* name, double& out, double lo, double hi) -> std::string {
        if (!args.has(name))
            return {};
        if (!parseNumber(args.option(name), out) || out < lo || out > hi)
            return "--" + std::string(name) + " needs a number from " + std::to_string(lo) +
                   " to " + std::to_string(hi) + ", not '" + args.option(name) + "'";
        return {};
    };
    for (const std::string& e :
         {integer("epochs", o.epochs, 0), integer("qat-epochs", o.qatEpochs, 0),
          integer("batch", o.batch, 1), readSeed ? integer("seed", o.seed, 0) : std::string(),
          integer("threads", o.threads, 1), integer("synthetic", data.synthetic.count, 2),
          integer("max-images", data.maxImages, 2), real("lr", o.learningRate, 1e-9, 10),
          real("resolution", resolution, 0.05, 1),
          real("validation", o.validationFraction, 0.01, 0.99)})
        if (!e.empty())
            return e;
    if (args.has("optimizer")) {
        const std::string name = args.option("optimizer");
        if (name == "adam")
            o.optimizer = train::OptimizerKind::Adam;
        else if (name == "sgd")
            o.optimizer = train::OptimizerKind::Sgd;
        else
            return "--optimizer is adam or sgd, not '" + name + "'";
    }
    if (args.has("image-size")) {
        const std::string s = args.option("image-size");
        const auto x = s.find('x');
        if (x == std::string::npos || !parseNumber(s.substr(0, x), data.synthetic.width) ||
            !parseNumber(s.substr(x + 1), data.synthetic.height) || data.synthetic.width < 4 ||
            data.synthetic.height < 4)
            return "--image-size needs WIDTHxHEIGHT such as 128x64, not '" + s + "'";
    }
    if (args.has("data") && args.has("synthetic"))
        return "give --data or --synthetic, not both";
    data.path = args.option("data");
    data.policy = args.flag("skip-bad") ? train::BadFilePolicy::Skip : train::BadFilePolicy::Fail;
    return {};
}

} // namespace codesign::cli
