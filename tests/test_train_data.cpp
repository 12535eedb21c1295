// Data sets of the trainer: image resampling, JPEG, VOC XML, the DAC-SDC and CSV loaders
// with malformed fixtures (tests/data/train), sample preparation and the synthetic set.
#include "test_support.h"
#include "train/dataset_loaders.h"
#include "train/fast_training.h"
#include "train/image.h"
#include "train/jpeg_codec.h"
#include "train/sample_set.h"
#include "train/synthetic_data.h"
#include "train/voc_xml.h"

#include <QTemporaryDir>
#include <algorithm>
#include <cmath>

using namespace codesign;
using namespace codesign::testing;
using namespace codesign::train;

namespace {

std::string trainData(const std::string& name) {
    return dataPath("train/" + name);
}

const Diagnostic* findSkipped(const std::vector<Diagnostic>& skipped, const std::string& part) {
    for (const Diagnostic& d : skipped)
        if (d.format().find(part) != std::string::npos)
            return &d;
    return nullptr;
}

} // namespace

class TestTrainData : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void resizeAveragesWhenShrinking() {
        Image img(4, 2, 1); // columns 0 and 2 white: an average of 50 % per output pixel
        for (int y = 0; y < 2; ++y)
            for (int x = 0; x < 4; ++x)
                img.at(x, y)[0] = x % 2 == 0 ? 255 : 0;
        const Image small = resizeImage(img, 2, 1);
        QCOMPARE(small.width, 2);
        QCOMPARE(int(small.at(0, 0)[0]), 128); // 127.5 rounds up
        QCOMPARE(int(small.at(1, 0)[0]), 128);
        const Image big = resizeImage(small, 8, 4); // a flat image stays flat
        for (std::uint8_t v : big.pixels)
            QCOMPARE(int(v), 128);
    }

    void planesAndGrey() {
        Image rgb(2, 1, 3);
        rgb.pixels = {255, 0, 0, 0, 0, 255};
        std::uint8_t planes[6] = {};
        toPlanes(rgb, planes);
        QCOMPARE(int(planes[0]), 255); // R of pixel 0
        QCOMPARE(int(planes[1]), 0);   // R of pixel 1
        QCOMPARE(int(planes[5]), 255); // B of pixel 1
        const Image grey = convertChannels(rgb, 1);
        QCOMPARE(int(grey.pixels[0]), 76); // 0.299 * 255
        QCOMPARE(int(grey.pixels[1]), 29); // 0.114 * 255
    }

    void jpegRoundTrip() {
        SyntheticSpec spec;
        spec.width = 48;
        spec.height = 32;
        const Image img = syntheticSample(spec, 3).image;
        Result<std::string> bytes = encodeJpeg(img, 95);
        QVERIFY(bytes.ok());
        Result<Image> back = decodeJpeg(*bytes, 3);
        QVERIFY(back.ok());
        QCOMPARE(back->width, 48);
        QCOMPARE(back->height, 32);
        double error = 0;
        for (std::size_t i = 0; i < img.pixels.size(); ++i)
            error += std::abs(int(img.pixels[i]) - int(back->pixels[i]));
        QVERIFY(error / double(img.pixels.size()) < 8); // lossy, but close at quality 95

        QVERIFY(!decodeJpeg("not a jpeg", 3).ok());
        Result<Image> cut = decodeJpeg(std::string_view(*bytes).substr(0, bytes->size() / 2), 3);
        QVERIFY(!cut.ok());
        QVERIFY(cut.error().message.find("corrupt JPEG") != std::string::npos);
        QVERIFY(!decodeJpeg(*bytes, 4).ok());
    }

    void vocXml() {
        const std::string text = readText(trainData("dac-sdc/boat1/0001.xml"));
        Result<VocAnnotation> a = parseVocXml(text, "0001.xml");
        QVERIFY(a.ok());
        QCOMPARE(a->filename, std::string("0001"));
        QCOMPARE(a->width, 64);
        QCOMPARE(a->height, 36);
        QCOMPARE(a->objects.size(), std::size_t(1));
        QCOMPARE(a->objects[0].name, std::string("boat1"));
        QCOMPARE(a->objects[0].box, (Box{10, 8, 30, 20}));
        QCOMPARE(a->objects[0].line, 7); // where <bndbox> starts
    }

    void vocXmlErrorsNameFileAndLine() {
        Result<VocAnnotation> nan =
            parseVocXml(readText(trainData("dac-sdc-bad/not-a-number.xml")), "not-a-number.xml");
        QVERIFY(!nan.ok());
        QCOMPARE(nan.error().file, std::string("not-a-number.xml"));
        QCOMPARE(nan.error().pos.line, 7);
        QVERIFY(nan.error().message.find("'eight' is not a number") != std::string::npos);

        Result<VocAnnotation> bad =
            parseVocXml(readText(trainData("dac-sdc-bad/malformed.xml")), "malformed.xml");
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().pos.line, 9); // </object> closes an open <bndbox>
        QVERIFY(bad.error().message.find("malformed XML") != std::string::npos);

        QVERIFY(!parseVocXml("<root/>", "r.xml").ok());
        QVERIFY(!parseVocXml("", "e.xml").ok());
        Result<VocAnnotation> noBox = parseVocXml(
            "<annotation>\n<object>\n<name>a</name>\n</object>\n</annotation>", "n.xml");
        QVERIFY(!noBox.ok());
        QCOMPARE(noBox.error().pos.line, 2);
        Result<VocAnnotation> flat = parseVocXml(
            "<annotation><object><bndbox><xmin>5</xmin><ymin>1</ymin><xmax>5</xmax><ymax>9</ymax>"
            "</bndbox></object></annotation>",
            "f.xml");
        QVERIFY(!flat.ok());
        QVERIFY(flat.error().message.find("no area") != std::string::npos);
    }

    void dacSdcLoader() {
        Result<ImageList> list = loadDacSdc(trainData("dac-sdc"), BadFilePolicy::Fail);
        QVERIFY2(list.ok(), list.ok() ? "" : list.error().format().c_str());
        QCOMPARE(list->items.size(), std::size_t(3));
        QVERIFY(list->skipped.empty());
        const LabeledImage& first = list->items[0]; // sorted by path: boat1/0001 first
        QVERIFY(first.imagePath.ends_with("boat1/0001.jpg"));
        QCOMPARE(first.box, (Box{10, 8, 30, 20}));
        QCOMPARE(first.label, std::string("boat1"));
        QCOMPARE(first.declaredWidth, 64);
        QVERIFY(first.origin.ends_with("boat1/0001.xml:7"));
        QCOMPARE(list->items[2].label, std::string("person3"));

        Result<ImageList> missing = loadDacSdc(trainData("no-such-folder"), BadFilePolicy::Fail);
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().format().find("no-such-folder") != std::string::npos);
    }

    void dacSdcBadFilesFailOrSkip() {
        // Fail: the first bad annotation in path order (malformed.xml) stops the load.
        Result<ImageList> fail = loadDacSdc(trainData("dac-sdc-bad"), BadFilePolicy::Fail);
        QVERIFY(!fail.ok());
        QVERIFY(fail.error().file.ends_with("malformed.xml"));
        QCOMPARE(fail.error().pos.line, 9);

        Result<ImageList> skip = loadDacSdc(trainData("dac-sdc-bad"), BadFilePolicy::Skip);
        QVERIFY(skip.ok());
        // good, truncated (its XML is fine: decoding finds it) remain
        QCOMPARE(skip->items.size(), std::size_t(2));
        QCOMPARE(skip->skipped.size(), std::size_t(5));
        const Diagnostic* two = findSkipped(skip->skipped, "two-objects.xml");
        QVERIFY(two);
        QVERIFY(two->message.find("2 objects") != std::string::npos);
        QCOMPARE(two->pos.line, 16); // the second object's <bndbox>
        const Diagnostic* noImage = findSkipped(skip->skipped, "no-image.xml");
        QVERIFY(noImage);
        QVERIFY(noImage->message.find("no image") != std::string::npos);
        const Diagnostic* outside = findSkipped(skip->skipped, "outside.xml");
        QVERIFY(outside);
        QVERIFY(outside->message.find("outside the 64x36 image") != std::string::npos);
        QVERIFY(findSkipped(skip->skipped, "not-a-number.xml:7:"));
    }

    void csvLoader() {
        Result<ImageList> list = loadBoxCsv(trainData("boxes.csv"), BadFilePolicy::Fail);
        QVERIFY2(list.ok(), list.ok() ? "" : list.error().format().c_str());
        QCOMPARE(list->items.size(), std::size_t(3)); // header, comment, blank line ignored
        QCOMPARE(list->items[1].box, (Box{40, 20, 60, 34}));
        QVERIFY(list->items[1].imagePath.ends_with("dac-sdc/boat1/0002.jpg")); // quoted
        QCOMPARE(list->items[2].label, std::string("person3"));
        QVERIFY(list->items[2].origin.ends_with("boxes.csv:6"));
        // loadImageList tells a CSV from a folder
        QVERIFY(loadImageList(trainData("boxes.csv"), BadFilePolicy::Fail).ok());
        QVERIFY(!loadImageList(trainData("nothing.csv"), BadFilePolicy::Fail).ok());
    }

    void csvErrorsNameLineAndColumn() {
        const std::string csv = trainData("boxes-bad.csv");
        Result<ImageList> fail = loadBoxCsv(csv, BadFilePolicy::Fail);
        QVERIFY(!fail.ok());
        QCOMPARE(fail.error().file, csv);
        QCOMPARE(fail.error().pos.line, 3);
        QCOMPARE(fail.error().pos.column, 27); // where "twenty" starts
        QVERIFY(fail.error().message.find("y1 'twenty' is not a number") != std::string::npos);

        Result<ImageList> skip = loadBoxCsv(csv, BadFilePolicy::Skip);
        QVERIFY(skip.ok());
        QCOMPARE(skip->items.size(), std::size_t(1));
        QCOMPARE(skip->skipped.size(), std::size_t(5));
        std::vector<int> lines;
        for (const Diagnostic& d : skip->skipped)
            lines.push_back(d.pos.line);
        QCOMPARE(lines, (std::vector<int>{3, 4, 5, 6, 7}));
        QVERIFY(skip->skipped[1].message.find("missing.jpg' not found") != std::string::npos);
        QVERIFY(skip->skipped[2].message.find("found 4") != std::string::npos);
        QVERIFY(skip->skipped[3].message.find("no area") != std::string::npos);
        QVERIFY(skip->skipped[4].message.find("unclosed quote") != std::string::npos);
    }

    void preparedSamplesAreResizedFractions() {
        Result<ImageList> list = loadDacSdc(trainData("dac-sdc"), BadFilePolicy::Fail);
        QVERIFY(list.ok());
        RunControl control;
        DataSpec spec;
        const Shape input{3, 18, 32};
        Result<SampleSet> set = prepareSamples(*list, input, spec, control);
        QVERIFY(set.ok());
        QCOMPARE(set->size(), std::size_t(3));
        QCOMPARE(set->pixels.size(), std::size_t(3 * 3 * 18 * 32));
        QCOMPARE(set->boxes[0], (Box{10.0 / 64, 8.0 / 36, 30.0 / 64, 20.0 / 36}));
        QCOMPARE(set->classNames, (std::vector<std::string>{"boat1", "person3"}));
        QCOMPARE(set->labels, (std::vector<int>{0, 0, 1}));
        // The red object of image 0 is red in the resized planes (R plane high, G low).
        const std::uint8_t* img = set->image(0);
        const int x = 10, y = 7; // inside the box at 32x18
        QVERIFY(img[y * 32 + x] > 200);
        QVERIFY(img[18 * 32 + y * 32 + x] < 80);

        spec.maxImages = 2; // an evenly spaced subset
        QCOMPARE(prepareSamples(*list, input, spec, control)->size(), std::size_t(2));
        spec.maxImages = 0;
        spec.memoryLimit = 1000; // 3 images of 1728 bytes do not fit
        Result<SampleSet> big = prepareSamples(*list, input, spec, control);
        QVERIFY(!big.ok());
        QVERIFY(big.error().message.find("--max-images") != std::string::npos);
        QVERIFY(!prepareSamples(*list, Shape{4, 18, 32}, DataSpec{}, control).ok());
    }

    void corruptImageIsFatalOrSkipped() {
        Result<ImageList> list = loadDacSdc(trainData("dac-sdc-bad"), BadFilePolicy::Skip);
        QVERIFY(list.ok());
        RunControl control;
        DataSpec spec;
        spec.policy = BadFilePolicy::Fail;
        Result<SampleSet> fail = prepareSamples(*list, Shape{3, 18, 32}, spec, control);
        QVERIFY(!fail.ok());
        QVERIFY(fail.error().file.ends_with("truncated.jpg"));
        QVERIFY(fail.error().message.find("truncated.xml:7") != std::string::npos);
        spec.policy = BadFilePolicy::Skip;
        Result<SampleSet> skip = prepareSamples(*list, Shape{3, 18, 32}, spec, control);
        QVERIFY(skip.ok());
        QCOMPARE(skip->size(), std::size_t(1));
        QCOMPARE(skip->skipped.size(), std::size_t(6)); // 5 from the list, the JPEG
    }

    void syntheticSetIsDeterministic() {
        SyntheticSpec spec;
        spec.width = 64;
        spec.height = 32;
        spec.seed = 5;
        const SyntheticSample a = syntheticSample(spec, 11);
        const SyntheticSample b = syntheticSample(spec, 11);
        QCOMPARE(a.image.pixels, b.image.pixels);
        QCOMPARE(a.box, b.box);
        QVERIFY(syntheticSample(spec, 12).image.pixels != a.image.pixels);
        spec.seed = 6;
        QVERIFY(syntheticSample(spec, 11).image.pixels != a.image.pixels);

        std::vector<int> shapes(kSyntheticShapes, 0);
        spec.seed = 1;
        for (int i = 0; i < 200; ++i) {
            const SyntheticSample s = syntheticSample(spec, i);
            QVERIFY(s.box.x1 >= 0 && s.box.y1 >= 0 && s.box.x2 <= 1 && s.box.y2 <= 1);
            QVERIFY(s.box.width() >= 4.0 / 64 && s.box.height() >= 4.0 / 32);
            ++shapes[static_cast<std::size_t>(s.shape)];
        }
        for (int count : shapes) // every shape appears
            QVERIFY(count > 20);
    }

    void syntheticObjectDiffersFromBackground() {
        // The object's pixels must differ from what surrounds them, or there is nothing
        // to learn: compare the mean colour inside the box with a ring outside it.
        SyntheticSpec spec;
        spec.width = 128;
        spec.height = 64;
        int distinct = 0;
        for (int i = 0; i < 50; ++i) {
            const SyntheticSample s = syntheticSample(spec, i);
            double inside[3] = {}, outside[3] = {};
            int nIn = 0, nOut = 0;
            const double cx = (s.box.x1 + s.box.x2) / 2 * 128, cy = (s.box.y1 + s.box.y2) / 2 * 64;
            for (int y = 0; y < 64; ++y)
                for (int x = 0; x < 128; ++x) {
                    const double u = x + 0.5, v = y + 0.5;
                    const bool core = std::abs(u - cx) < 2 && std::abs(v - cy) < 2;
                    const bool ring = (u < s.box.x1 * 128 - 3 || u > s.box.x2 * 128 + 3 ||
                                       v < s.box.y1 * 64 - 3 || v > s.box.y2 * 64 + 3);
                    for (int c = 0; c < 3; ++c) {
                        if (core)
                            inside[c] += s.image.at(x, y)[c];
                        if (ring)
                            outside[c] += s.image.at(x, y)[c];
                    }
                    nIn += core;
                    nOut += ring;
                }
            double d = 0;
            for (int c = 0; c < 3; ++c)
                d += std::abs(inside[c] / std::max(1, nIn) - outside[c] / std::max(1, nOut));
            distinct += d > 60;
        }
        QVERIFY2(distinct >= 40, std::to_string(distinct).c_str());
    }

    void syntheticSetRoundTripsThroughDacSdc() {
        QTemporaryDir dir;
        SyntheticSpec spec;
        spec.count = 6;
        spec.width = 64;
        spec.height = 32;
        QVERIFY(writeSyntheticDacSdc(spec, dir.path().toStdString()).ok());
        Result<ImageList> list = loadDacSdc(dir.path().toStdString(), BadFilePolicy::Fail);
        QVERIFY(list.ok());
        QCOMPARE(list->items.size(), std::size_t(6));
        RunControl control;
        Result<SampleSet> set = prepareSamples(*list, Shape{3, 32, 64}, DataSpec{}, control);
        QVERIFY(set.ok());
        for (std::size_t i = 0; i < set->size(); ++i) {
            const std::string stem =
                list->items[i].imagePath.substr(list->items[i].imagePath.size() - 9, 5); // "00003"
            const SyntheticSample s = syntheticSample(spec, std::stoi(stem));
            QVERIFY(std::abs(set->boxes[i].x1 - s.box.x1) < 1e-4);
            QVERIFY(std::abs(set->boxes[i].y2 - s.box.y2) < 1e-4);
            QCOMPARE(set->classNames[static_cast<std::size_t>(set->labels[i])],
                     std::string(syntheticShapeName(s.shape)));
        }
    }

    void syntheticSamplesAtTheInputSize() {
        RunControl control;
        SyntheticSpec spec;
        spec.count = 8;
        spec.width = 128; // drawn at 128x64, resized to the 1x32x64 input
        spec.height = 64;
        Result<SampleSet> set = syntheticSamples(spec, Shape{1, 32, 64}, control);
        QVERIFY(set.ok());
        QCOMPARE(set->size(), std::size_t(8));
        QCOMPARE(set->pixels.size(), std::size_t(8 * 32 * 64));
        QCOMPARE(set->boxes[3], syntheticSample(spec, 3).box);
        control.stop();
        QVERIFY(!syntheticSamples(spec, Shape{1, 32, 64}, control).ok());
    }

    void syntheticSamplesReportProgressInOrder() {
        RunControl control;
        SyntheticSpec spec;
        spec.count = 12;
        std::vector<std::size_t> seen;
        Result<SampleSet> set = syntheticSamples(spec, Shape{1, 16, 32}, control,
                                                 [&](std::size_t done, std::size_t total) {
                                                     QCOMPARE(total, std::size_t(12));
                                                     seen.push_back(done);
                                                 });
        QVERIFY(set.ok());
        QCOMPARE(seen.size(), std::size_t(12));
        for (std::size_t i = 0; i < seen.size(); ++i)
            QCOMPARE(seen[i], i + 1);
    }

    void graphAtAReducedResolution() {
        bool ok = false;
        const Project p = parseOrFail(projectWith("  - {op: conv, kernel: 3, channels: 4}\n"
                                                  "  - {op: maxpool, kernel: 2}\n"
                                                  "  - {op: maxpool, kernel: 2}\n"
                                                  "  - {op: pwconv, channels: 10}\n"
                                                  "  - {op: bbox_head, anchors: 2}\n",
                                                  "{channels: 3, height: 16, width: 32}"),
                                      ok);
        QVERIFY(ok);
        Result<Graph> full = train::graphAtResolution(p, 1);
        QVERIFY(full.ok());
        QCOMPARE(full->input, (Shape{3, 16, 32}));
        Result<Graph> half = train::graphAtResolution(p, 0.5);
        QVERIFY(half.ok());
        QCOMPARE(half->input, (Shape{3, 8, 16}));
        QCOMPARE(half->outputNode().inputs.size(), std::size_t(1));
        // Too small for the two poolings: the error says at which resolution.
        Result<Graph> tiny = train::graphAtResolution(p, 0.1);
        QVERIFY(!tiny.ok());
        QVERIFY2(tiny.error().message.find("at 0.1 of the input resolution") != std::string::npos,
                 tiny.error().message.c_str());
        QVERIFY(!train::graphAtResolution(p, 0).ok());
        QVERIFY(!train::graphAtResolution(p, 1.5).ok());
    }
};

QTEST_GUILESS_MAIN(TestTrainData)
#include "test_train_data.moc"
