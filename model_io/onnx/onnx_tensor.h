#pragma once

// Constant tensors of an ONNX model (initializers, Constant nodes, and what the reader folds
// from them: the shape arithmetic of PyTorch's exports), decoded with every size checked.
#include "core/util/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace onnx {
class TensorProto;
class AttributeProto;
} // namespace onnx

namespace codesign::modelio {

// Values held as doubles (floats) or int64 (integers and booleans); dims as ONNX gives them.
struct ConstTensor {
    std::vector<std::int64_t> dims;
    bool isFloat = true;
    std::vector<double> reals;
    std::vector<std::int64_t> ints;

    std::size_t size() const { return isFloat ? reals.size() : ints.size(); }
    double real(std::size_t i) const { return isFloat ? reals[i] : double(ints[i]); }
    std::int64_t integer(std::size_t i) const {
        return isFloat ? static_cast<std::int64_t>(reals[i]) : ints[i];
    }
    std::vector<std::int64_t> integers() const;
    std::vector<float> floats() const;
};

// The largest tensor the reader decodes (elements): weights of the largest real models fit.
inline constexpr std::int64_t kMaxElements = std::int64_t(1) << 31;

// Element count of dims, or -1 when a dim is negative or the count exceeds kMaxElements.
std::int64_t elementCount(const std::vector<std::int64_t>& dims);

// A TensorProto's values; float, double, float16 and the integer types.
Result<ConstTensor> decodeTensor(const onnx::TensorProto& t);
// A Constant node's value attribute (value, value_float(s), value_int(s)).
Result<ConstTensor> decodeConstantAttribute(const onnx::AttributeProto& a);

// The constant arithmetic of shape computations. Each returns an error message (empty on
// success) when the operands do not fit.
std::string broadcastBinary(const std::string& op, const ConstTensor& a, const ConstTensor& b,
                            ConstTensor& out);
std::string gatherConst(const ConstTensor& data, const ConstTensor& indices, std::int64_t axis,
                        ConstTensor& out);
std::string concatConst(const std::vector<const ConstTensor*>& parts, std::int64_t axis,
                        ConstTensor& out);
std::string sliceConst1d(const ConstTensor& data, std::int64_t start, std::int64_t end,
                         std::int64_t step, ConstTensor& out);

} // namespace codesign::modelio
