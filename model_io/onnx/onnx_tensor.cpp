#include "onnx_tensor.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <onnx/onnx_pb.h>

namespace codesign::modelio {
namespace {

// IEEE half to double (ONNX FLOAT16 holds its bits).
double halfToDouble(std::uint16_t h) {
    const int exponent = (h >> 10) & 0x1f;
    const int mantissa = h & 0x3ff;
    const double sign = (h & 0x8000) != 0 ? -1.0 : 1.0;
    if (exponent == 0)
        return sign * std::ldexp(mantissa, -24);
    if (exponent == 31)
        return mantissa == 0 ? sign * HUGE_VAL : std::nan("");
    return sign * std::ldexp(mantissa + 1024, exponent - 25);
}

int elementBytes(int type) {
    switch (type) {
    case onnx::TensorProto::FLOAT:
    case onnx::TensorProto::INT32:
    case onnx::TensorProto::UINT32:
        return 4;
    case onnx::TensorProto::DOUBLE:
    case onnx::TensorProto::INT64:
    case onnx::TensorProto::UINT64:
        return 8;
    case onnx::TensorProto::FLOAT16:
    case onnx::TensorProto::INT16:
    case onnx::TensorProto::UINT16:
        return 2;
    case onnx::TensorProto::INT8:
    case onnx::TensorProto::UINT8:
    case onnx::TensorProto::BOOL:
        return 1;
    default:
        return 0;
    }
}

bool isFloatType(int type) {
    return type == onnx::TensorProto::FLOAT || type == onnx::TensorProto::DOUBLE ||
           type == onnx::TensorProto::FLOAT16;
}

// One little-endian element of `type` at p.
void readElement(const unsigned char* p, int type, ConstTensor& out) {
    std::uint64_t bits = 0;
    const int n = elementBytes(type);
    for (int i = 0; i < n; ++i)
        bits |= std::uint64_t(p[i]) << (8 * i);
    switch (type) {
    case onnx::TensorProto::FLOAT: {
        float f = 0;
        const auto b32 = static_cast<std::uint32_t>(bits);
        std::memcpy(&f, &b32, sizeof f);
        out.reals.push_back(f);
        return;
    }
    case onnx::TensorProto::DOUBLE: {
        double d = 0;
        std::memcpy(&d, &bits, sizeof d);
        out.reals.push_back(d);
        return;
    }
    case onnx::TensorProto::FLOAT16:
        out.reals.push_back(halfToDouble(static_cast<std::uint16_t>(bits)));
        return;
    case onnx::TensorProto::INT8:
        out.ints.push_back(static_cast<std::int8_t>(bits));
        return;
    case onnx::TensorProto::INT16:
        out.ints.push_back(static_cast<std::int16_t>(bits));
        return;
    case onnx::TensorProto::INT32:
        out.ints.push_back(static_cast<std::int32_t>(bits));
        return;
    default: // INT64, unsigned, bool
        out.ints.push_back(static_cast<std::int64_t>(bits));
    }
}

template <class Field> Status takeField(const Field& field, std::int64_t count, ConstTensor& out) {
    if (static_cast<std::int64_t>(field.size()) != count)
        return makeError("a tensor holds " + std::to_string(field.size()) + " values for " +
                         std::to_string(count) + " elements");
    for (const auto& v : field) {
        if (out.isFloat)
            out.reals.push_back(static_cast<double>(v));
        else
            out.ints.push_back(static_cast<std::int64_t>(v));
    }
    return okStatus();
}

} // namespace

std::vector<std::int64_t> ConstTensor::integers() const {
    std::vector<std::int64_t> v(size());
    for (std::size_t i = 0; i < v.size(); ++i)
        v[i] = integer(i);
    return v;
}

std::vector<float> ConstTensor::floats() const {
    std::vector<float> v(size());
    for (std::size_t i = 0; i < v.size(); ++i)
        v[i] = static_cast<float>(real(i));
    return v;
}

std::int64_t elementCount(const std::vector<std::int64_t>& dims) {
    std::int64_t n = 1;
    for (std::int64_t d : dims) {
        if (d < 0 || (d > 0 && n > kMaxElements / d))
            return -1;
        n *= d;
    }
    return n;
}

Result<ConstTensor> decodeTensor(const onnx::TensorProto& t) {
    ConstTensor out;
    out.dims.assign(t.dims().begin(), t.dims().end());
    const std::int64_t count = elementCount(out.dims);
    const std::string what = "tensor '" + t.name() + "'";
    if (count < 0)
        return makeError(what + " has negative or too many dimensions");
    if (t.data_location() == onnx::TensorProto::EXTERNAL || t.external_data_size() > 0)
        return makeError(what + " keeps its data in an external file; save the model with its "
                                "weights inside (onnx.save(model, path, "
                                "save_as_external_data=False))");
    if (t.has_segment())
        return makeError(what + " is segmented");
    const int type = t.data_type();
    if (elementBytes(type) == 0)
        return makeError(what + " has data type " + std::to_string(type) +
                         "; the reader takes float, double, float16 and integer tensors");
    out.isFloat = isFloatType(type);
    if (t.has_raw_data()) {
        const std::string& raw = t.raw_data();
        const std::size_t bytes = static_cast<std::size_t>(elementBytes(type));
        if (raw.size() != static_cast<std::size_t>(count) * bytes)
            return makeError(what + " has " + std::to_string(raw.size()) + " bytes of data for " +
                             std::to_string(count) + " elements");
        const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
        if (out.isFloat)
            out.reals.reserve(static_cast<std::size_t>(count));
        else
            out.ints.reserve(static_cast<std::size_t>(count));
        for (std::int64_t i = 0; i < count; ++i)
            readElement(p + i * std::int64_t(bytes), type, out);
        return out;
    }
    Status s = okStatus();
    switch (type) {
    case onnx::TensorProto::FLOAT:
        s = takeField(t.float_data(), count, out);
        break;
    case onnx::TensorProto::DOUBLE:
        s = takeField(t.double_data(), count, out);
        break;
    case onnx::TensorProto::INT64:
        s = takeField(t.int64_data(), count, out);
        break;
    case onnx::TensorProto::UINT32:
    case onnx::TensorProto::UINT64:
        s = takeField(t.uint64_data(), count, out);
        break;
    case onnx::TensorProto::FLOAT16: {
        if (static_cast<std::int64_t>(t.int32_data_size()) != count)
            return makeError(what + " holds the wrong number of values");
        for (int bits : t.int32_data())
            out.reals.push_back(halfToDouble(static_cast<std::uint16_t>(bits)));
        break;
    }
    default:
        s = takeField(t.int32_data(), count, out);
    }
    if (!s.ok())
        return makeError(what + ": " + s.error().message);
    return out;
}

Result<ConstTensor> decodeConstantAttribute(const onnx::AttributeProto& a) {
    ConstTensor out;
    if (a.name() == "value") {
        if (!a.has_t())
            return makeError("the Constant's value holds no tensor");
        return decodeTensor(a.t());
    }
    if (a.name() == "value_float") {
        out.reals = {a.f()};
        return out;
    }
    if (a.name() == "value_floats") {
        out.reals.assign(a.floats().begin(), a.floats().end());
        out.dims = {static_cast<std::int64_t>(out.reals.size())};
        return out;
    }
    out.isFloat = false;
    if (a.name() == "value_int") {
        out.ints = {a.i()};
        return out;
    }
    if (a.name() == "value_ints") {
        out.ints.assign(a.ints().begin(), a.ints().end());
        out.dims = {static_cast<std::int64_t>(out.ints.size())};
        return out;
    }
    return makeError("a Constant with '" + a.name() +
                     "' (the reader takes value, value_float(s) and value_int(s))");
}

std::string broadcastBinary(const std::string& op, const ConstTensor& a, const ConstTensor& b,
                            ConstTensor& out) {
    const std::size_t rank = std::max(a.dims.size(), b.dims.size());
    out = ConstTensor{};
    out.isFloat = a.isFloat || b.isFloat;
    out.dims.assign(rank, 1);
    const auto dimOf = [&](const ConstTensor& t, std::size_t i) {
        const std::size_t offset = rank - t.dims.size();
        return i < offset ? std::int64_t(1) : t.dims[i - offset];
    };
    for (std::size_t i = 0; i < rank; ++i) {
        const std::int64_t da = dimOf(a, i), db = dimOf(b, i);
        if (da != db && da != 1 && db != 1)
            return "operands of shapes that do not broadcast";
        out.dims[i] = std::max(da, db);
    }
    const std::int64_t count = elementCount(out.dims);
    if (count < 0 || count > (std::int64_t(1) << 24))
        return "a constant too large to fold";
    // The flat index of an operand for output index k (strides of size-1 dims are 0).
    const auto indexIn = [&](const ConstTensor& t, std::int64_t k) {
        std::int64_t index = 0, stride = 1;
        for (std::size_t i = rank; i-- > 0;) {
            const std::int64_t d = dimOf(t, i);
            const std::int64_t coord = k % out.dims[i];
            k /= out.dims[i];
            if (d != 1)
                index += coord * stride;
            stride *= d;
        }
        return static_cast<std::size_t>(index);
    };
    for (std::int64_t k = 0; k < count; ++k) {
        const std::size_t ia = indexIn(a, k), ib = indexIn(b, k);
        if (ia >= a.size() || ib >= b.size())
            return "operands with fewer values than their shapes";
        if (out.isFloat) {
            const double x = a.real(ia), y = b.real(ib);
            out.reals.push_back(op == "Add"   ? x + y
                                : op == "Sub" ? x - y
                                : op == "Mul" ? x * y
                                              : x / y);
        } else {
            const std::int64_t x = a.integer(ia), y = b.integer(ib);
            if (op == "Div" && y == 0)
                return "an integer division by zero";
            // Wrapping arithmetic: a hostile file must not reach signed overflow.
            const auto ux = static_cast<std::uint64_t>(x), uy = static_cast<std::uint64_t>(y);
            std::int64_t r = 0;
            if (op == "Add")
                r = static_cast<std::int64_t>(ux + uy);
            else if (op == "Sub")
                r = static_cast<std::int64_t>(ux - uy);
            else if (op == "Mul")
                r = static_cast<std::int64_t>(ux * uy);
            else
                r = (x == INT64_MIN && y == -1) ? x : x / y;
            out.ints.push_back(r);
        }
    }
    return {};
}

std::string gatherConst(const ConstTensor& data, const ConstTensor& indices, std::int64_t axis,
                        ConstTensor& out) {
    const auto rank = static_cast<std::int64_t>(data.dims.size());
    if (rank == 0)
        return "Gather of a scalar";
    if (axis < 0)
        axis += rank;
    if (axis < 0 || axis >= rank)
        return "Gather axis out of range";
    std::int64_t outer = 1, inner = 1;
    for (std::int64_t i = 0; i < axis; ++i)
        outer *= data.dims[std::size_t(i)];
    for (std::int64_t i = axis + 1; i < rank; ++i)
        inner *= data.dims[std::size_t(i)];
    const std::int64_t extent = data.dims[std::size_t(axis)];
    if (outer * extent * inner != static_cast<std::int64_t>(data.size()))
        return "Gather data with fewer values than its shape";
    out = ConstTensor{};
    out.isFloat = data.isFloat;
    for (std::int64_t i = 0; i < axis; ++i)
        out.dims.push_back(data.dims[std::size_t(i)]);
    out.dims.insert(out.dims.end(), indices.dims.begin(), indices.dims.end());
    for (std::int64_t i = axis + 1; i < rank; ++i)
        out.dims.push_back(data.dims[std::size_t(i)]);
    if (elementCount(out.dims) < 0 || elementCount(out.dims) > (std::int64_t(1) << 24))
        return "a constant too large to fold";
    for (std::int64_t o = 0; o < outer; ++o)
        for (std::size_t k = 0; k < indices.size(); ++k) {
            std::int64_t idx = indices.integer(k);
            if (idx < 0)
                idx += extent;
            if (idx < 0 || idx >= extent)
                return "Gather index out of range";
            for (std::int64_t i = 0; i < inner; ++i) {
                const auto at = static_cast<std::size_t>((o * extent + idx) * inner + i);
                if (data.isFloat)
                    out.reals.push_back(data.reals[at]);
                else
                    out.ints.push_back(data.ints[at]);
            }
        }
    return {};
}

std::string concatConst(const std::vector<const ConstTensor*>& parts, std::int64_t axis,
                        ConstTensor& out) {
    out = ConstTensor{};
    if (parts.empty())
        return "Concat of nothing";
    for (const ConstTensor* p : parts)
        if (p->dims.size() != 1 || static_cast<std::size_t>(p->dims[0]) != p->size())
            return "Concat of constants that are not 1-D";
    if (axis != 0 && axis != -1)
        return "Concat of 1-D constants along axis " + std::to_string(axis);
    out.isFloat = parts.front()->isFloat;
    for (const ConstTensor* p : parts)
        for (std::size_t i = 0; i < p->size(); ++i) {
            if (out.isFloat)
                out.reals.push_back(p->real(i));
            else
                out.ints.push_back(p->integer(i));
        }
    out.dims = {static_cast<std::int64_t>(out.size())};
    return {};
}

std::string sliceConst1d(const ConstTensor& data, std::int64_t start, std::int64_t end,
                         std::int64_t step, ConstTensor& out) {
    if (data.dims.size() != 1 || static_cast<std::size_t>(data.dims[0]) != data.size())
        return "Slice of a constant that is not 1-D";
    if (step == 0)
        return "Slice with step 0";
    const auto n = static_cast<std::int64_t>(data.size());
    const auto clampIndex = [&](std::int64_t v, bool isEnd) {
        if (v < 0)
            v = std::max<std::int64_t>(v, -n - 1) + n;
        return step > 0 ? std::clamp<std::int64_t>(v, 0, n)
                        : std::clamp<std::int64_t>(v, -1, n - 1 + (isEnd ? 0 : 0));
    };
    start = clampIndex(start, false);
    end = clampIndex(end, true);
    out = ConstTensor{};
    out.isFloat = data.isFloat;
    for (std::int64_t i = start; step > 0 ? i < end : i > end; i += step) {
        if (i < 0 || i >= n)
            break;
        if (out.isFloat)
            out.reals.push_back(data.reals[std::size_t(i)]);
        else
            out.ints.push_back(data.ints[std::size_t(i)]);
    }
    out.dims = {static_cast<std::int64_t>(out.size())};
    return {};
}

} // namespace codesign::modelio
