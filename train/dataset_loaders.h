#pragma once

// Loaders for data sets on disk. They read annotations and check that each image file
// exists; the pixels are decoded later, when the samples are prepared.
#include "core/util/result.h"
#include "labeled_image.h"

#include <string>

namespace codesign::train {

// The DAC-SDC layout: a folder (searched recursively, e.g. one sub-folder per class) of
// JPEG images, each with a VOC-style XML annotation of the same stem holding exactly one
// <object><bndbox>. The label is the object's <name>, else the sub-folder's name.
Result<ImageList> loadDacSdc(const std::string& folder, BadFilePolicy policy);

// A CSV file, one image per line: path,x1,y1,x2,y2[,label] with pixel corners. Relative
// paths are relative to the CSV's folder; a first line naming the columns, blank lines and
// lines starting with '#' are ignored; fields may be double-quoted.
Result<ImageList> loadBoxCsv(const std::string& csvPath, BadFilePolicy policy);

// A folder -> loadDacSdc, a file -> loadBoxCsv.
Result<ImageList> loadImageList(const std::string& path, BadFilePolicy policy);

} // namespace codesign::train
