// codesign train: fast training of a project's network on a data set (docs/training.md).
#include "cli_args.h"
#include "commands.h"
#include "core/model/project_yaml.h"
#include "core/qor/design_hash.h"
#include "core/qor/qor_cache.h"
#include "core/util/atomic_file.h"
#include "core/util/json_writer.h"
#include "peak_memory.h"
#include "train/fast_training.h"
#include "train/sample_set.h"
#include "train/synthetic_data.h"
#include "train/trainer.h"
#include "train_options_args.h"
#include "train_progress_printer.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace codesign::cli {
namespace {

constexpr int kExitInterrupted = 130;

// Ctrl-C asks the training to stop at the next batch. The handler only sets a lock-free
// flag; the progress callbacks, on the training thread, turn it into RunControl::stop().
std::atomic<bool> gInterrupted{false};
extern "C" void onTrainInterrupt(int) {
    gInterrupted.store(true);
}

std::string usage() {
    return "usage: codesign train PROJECT [--data PATH | --synthetic N] [--epochs E] [--json]\n"
           "  Trains the project's network (fast training), fine-tunes it at the project's\n"
           "  precision (quantization-aware) and reports the validation IoU (networks ending\n"
           "  in bbox_head) or top-1 accuracy (networks ending in a Cx1x1 output).\n"
           "  --data PATH          a DAC-SDC folder (JPEG + VOC XML per image) or a CSV file\n"
           "                       (path,x1,y1,x2,y2[,label] in pixels)\n"
           "  --synthetic N        N generated images (the default: 1024)\n"
           "  --image-size WxH     size the synthetic images are drawn at (default: the input)\n"
           "  --fast               the seed's fast training, a QoR that ranks designs:\n"
           "                       256 images, 4 + 1 epochs, half the input resolution\n"
           "                       (the options below override each part)\n"
           "  --resolution F       train at F (0.05-1) times the network's input resolution\n"
           "  --epochs E           float epochs (default 20)\n"
           "  --qat-epochs Q       fine-tuning epochs at the design's precision\n"
           "                       (default ceil(E/4); 0: report the float network)\n"
           "  --batch B            images per step (default 8)\n"
           "  --lr X               learning rate (default 0.001 Adam, 0.01 SGD)\n"
           "  --optimizer adam|sgd\n"
           "  --validation F       fraction held out to measure (default 0.2)\n"
           "  --teacher PROJECT    distil from this network (trained first unless\n"
           "                       --teacher-weights FILE); --distill-weight W (default 0.5)\n"
           "  --skip-bad           leave out bad or missing files (default: stop at the first)\n"
           "  --max-images N       an evenly spaced subset of the data set\n"
           "  --seed S, --threads T\n"
           "  --out FILE           the trained weights (default:\n"
           "                       <project>.codesign/weights/<design hash>.train.bin)\n"
           "  --write-synthetic DIR  write the synthetic set as a DAC-SDC folder and stop\n"
           "  --json               print the result as JSON\n";
}

Result<train::TeacherSpec> loadTeacher(const Args& args, double resolution) {
    train::TeacherSpec t;
    Result<Project> project = loadProjectFile(args.option("teacher"));
    if (!project.ok())
        return project.error();
    Result<Graph> graph = train::graphAtResolution(*project, resolution);
    if (!graph.ok())
        return graph.error();
    t.graph = std::move(graph).value();
    if (args.has("distill-weight") &&
        (!parseNumber(args.option("distill-weight"), t.weight) || t.weight < 0 || t.weight > 1))
        return makeError("--distill-weight needs a number from 0 to 1");
    if (args.has("teacher-weights")) {
        Result<reference::WeightSet> set =
            reference::readWeightSetFile(args.option("teacher-weights"));
        if (!set.ok())
            return set.error();
        t.weights = std::move(set).value();
    }
    return t;
}

} // namespace

int runTrain(const std::vector<std::string>& argv) {
    std::set<std::string> flags = {"json", "help"};
    flags.merge(trainFlagNames());
    std::set<std::string> names = {"teacher", "teacher-weights", "distill-weight", "seed",
                                   "out",     "write-synthetic"};
    names.merge(trainOptionNames());
    Args args(argv, flags, names);
    if (!args.ok())
        return badInput(args.error() + " (see codesign train --help)");
    if (args.flag("help")) {
        std::cout << usage();
        return kExitOk;
    }
    if (args.positional().size() != 1)
        return badInput("train needs exactly one project file (see codesign train --help)");
    train::TrainOptions options;
    train::DataSpec data;
    double resolution = 1;
    if (std::string e = readTrainOptions(args, options, data, resolution, true); !e.empty())
        return badInput(e);

    const std::string projectPath = args.positional().front();
    Result<Project> project = loadProjectFile(projectPath);
    if (!project.ok())
        return badInput(project.error().format());
    Result<Graph> graph = train::graphAtResolution(*project, resolution);
    if (!graph.ok())
        return badInput(graph.error().format());
    Result<train::TrainTask> task = train::taskOf(*graph);
    if (!task.ok())
        return badInput(task.error().format());

    if (args.has("write-synthetic")) {
        train::SyntheticSpec spec = data.synthetic;
        spec.width = spec.width > 0 ? spec.width : graph->input.w;
        spec.height = spec.height > 0 ? spec.height : graph->input.h;
        if (Status s = train::writeSyntheticDacSdc(spec, args.option("write-synthetic")); !s.ok())
            return badInput(s.error().format());
        std::cout << "wrote " << spec.count << " images to " << args.option("write-synthetic")
                  << "\n";
        return kExitOk;
    }
    if (args.has("teacher")) {
        Result<train::TeacherSpec> teacher = loadTeacher(args, resolution);
        if (!teacher.ok())
            return badInput(teacher.error().format());
        options.teacher = std::move(teacher).value();
    }

    RunControl control;
    gInterrupted.store(false);
    std::signal(SIGINT, onTrainInterrupt);
    TrainProgressPrinter printer(*task == train::TrainTask::Detection ? "IoU" : "accuracy",
                                 ::isatty(STDERR_FILENO) != 0);
    // The progress callbacks, on the working thread, turn Ctrl-C into RunControl::stop().
    auto show = [&](const train::TrainProgress& p) {
        if (gInterrupted.load())
            control.stop();
        printer.show(p);
    };
    const auto started = std::chrono::steady_clock::now();
    Result<train::SampleSet> samples =
        train::loadSamples(data, graph->input, control, [&](std::size_t d, std::size_t t) {
            show({"prepare", 0, 0, static_cast<int>(d), static_cast<int>(t)});
        });
    if (!samples.ok()) {
        std::signal(SIGINT, SIG_DFL);
        if (control.stopRequested())
            return kExitInterrupted;
        return badInput(samples.error().format());
    }
    for (const Diagnostic& d : samples->skipped)
        std::cerr << "codesign: skipped " << d.format() << "\n";
    if (Status s = train::checkTraining(*graph, *samples, options); !s.ok()) {
        std::signal(SIGINT, SIG_DFL);
        return badInput(s.error().format());
    }

    Result<train::TrainResult> result =
        train::trainNetwork(*graph, *samples, options, control, show);
    printer.finishLine();
    std::signal(SIGINT, SIG_DFL);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!result.ok()) {
        if (control.stopRequested()) {
            std::cerr << "codesign: training interrupted; no weights written\n";
            return kExitInterrupted;
        }
        std::cerr << "codesign: " << result.error().format() << "\n";
        return kExitFailure;
    }

    const std::string hash = designHash(*graph);
    const std::string out = args.option("out", (std::filesystem::path(projectDataDir(projectPath)) /
                                                "weights" / (hash + ".train.bin"))
                                                   .string());
    std::error_code ec;
    if (const auto dir = std::filesystem::path(out).parent_path(); !dir.empty())
        std::filesystem::create_directories(dir, ec);
    if (Status s = writeFileAtomic(out, reference::serializeWeightSet(result->weights)); !s.ok()) {
        std::cerr << "codesign: " << s.error().format() << "\n";
        return kExitFailure;
    }

    const std::string metric = train::metricName(result->task);
    if (args.flag("json")) {
        JsonWriter w;
        w.beginObject();
        w.field("project", project->name);
        w.field("design_hash", hash);
        w.field("task",
                result->task == train::TrainTask::Detection ? "detection" : "classification");
        w.field(metric, result->metric);
        w.field(metric + "_untrained", result->metricUntrained);
        w.field(metric + "_float", result->metricFloat);
        w.field("quantized", result->quantized);
        w.field("epochs", result->epochs);
        w.field("qat_epochs", result->qatEpochs);
        w.field("resolution", resolution);
        w.field("images_per_s", result->imagesPerSecond);
        w.field("seconds", seconds);
        w.field("peak_memory_mb", peakMemoryMb());
        w.field("train_images", static_cast<std::int64_t>(result->trainImages));
        w.field("validation_images", static_cast<std::int64_t>(result->validationImages));
        w.field("skipped_files", static_cast<std::int64_t>(samples->skipped.size()));
        w.field("weights", out);
        w.endObject();
        std::cout << w.str() << "\n";
    } else {
        const char* label = result->task == train::TrainTask::Detection ? "IoU" : "accuracy";
        std::printf("%s: %s %.1f %% at %s precision (untrained %.1f %%, float %.1f %%)\n",
                    project->name.c_str(), label, 100 * result->metric,
                    result->quantized ? "the design's" : "float", 100 * result->metricUntrained,
                    100 * result->metricFloat);
        std::printf("%d float + %d QAT epochs on %zu images (%zu held out), %.0f images/s\n",
                    result->epochs, result->qatEpochs, result->trainImages,
                    result->validationImages, result->imagesPerSecond);
        std::printf("%.0f s, peak memory %.0f MiB\n", seconds, peakMemoryMb());
        std::printf("weights: %s\n", out.c_str());
    }
    return kExitOk;
}

} // namespace codesign::cli
