#pragma once

// JPEG decoding and encoding through libjpeg-turbo's TurboJPEG API (Debian libturbojpeg0-dev).
#include "core/util/result.h"
#include "image.h"

#include <string>
#include <string_view>

namespace codesign::train {

// Decodes to `channels` (1 or 3). A corrupt or truncated file is an error, not a partly
// grey image: libjpeg's warnings count as failures here.
Result<Image> decodeJpeg(std::string_view bytes, int channels);

// Encodes an 8-bit grey or RGB image (4:2:0 chroma for RGB).
Result<std::string> encodeJpeg(const Image& image, int quality = 90);

} // namespace codesign::train
