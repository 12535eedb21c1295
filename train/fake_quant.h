#pragma once

// Fake quantization: tensors keep their floating-point type but hold only values of a
// fixed-point format, computed as core/reference/fixed_point.h defines them (rounding
// mode, then saturation or wrap-around), so that a forward pass at the design's precision
// equals the bit-exact reference (docs/training.md, "Quantization-aware training").
#include "core/model/fixed_type.h"

#include <ATen/core/Tensor.h>

namespace codesign::train {

// x brought to `type` per `mode`, as reals. Exact for float and double tensors as long as
// x * 2^F fits the mantissa (the reference's values always do for the formats trained).
at::Tensor quantizeValues(const at::Tensor& x, const FixedType& type, QuantMode mode);

// The same in a training graph: the forward value is quantizeValues(x), the gradient is
// the straight-through estimator (1 inside the format's range; with saturation, 0 where
// the value was clipped).
at::Tensor fakeQuant(const at::Tensor& x, const FixedType& type, QuantMode mode);

} // namespace codesign::train
