#include "fake_quant.h"

#include <ATen/ATen.h>
#include <ATen/Dispatch.h>
#include <ATen/Parallel.h>
#include <cmath>
#include <torch/csrc/autograd/custom_function.h>

namespace codesign::train {
namespace {

// A format and mode in the terms the element loop needs.
struct Quantizer {
    double scale = 1; // 2^F
    double lo = 0;    // raw limits: -2^(W-1) and 2^(W-1) - 1
    double hi = 0;
    double span = 0; // 2^W
    Rounding rounding = Rounding::Round;
    Overflow overflow = Overflow::Saturate;

    Quantizer(const FixedType& t, QuantMode mode)
        : scale(std::ldexp(1.0, t.width - t.integer)), lo(-std::ldexp(1.0, t.width - 1)),
          hi(std::ldexp(1.0, t.width - 1) - 1), span(std::ldexp(1.0, t.width)),
          rounding(mode.rounding), overflow(mode.overflow) {}
};

// floor() for |v| < 2^31 through an integer conversion, which the compiler vectorizes
// (std::floor is a library call per element at the baseline x86-64 target).
template <class T> T fastFloor(T v) {
    const auto i = static_cast<std::int32_t>(v); // truncates towards zero
    const T t = static_cast<T>(i);
    return t > v ? t - 1 : t;
}

// The element loop with rounding and overflow fixed at compile time. Saturating formats
// of up to 30 bits clamp the scaled value first, so the integer floor is always in range.
template <Rounding R, Overflow O, class T>
void quantizeLoop(const T* src, T* dst, T* mask, std::int64_t n, const Quantizer& q) {
    const T scale = static_cast<T>(q.scale);
    const T inverse = static_cast<T>(1.0 / q.scale);
    const T lo = static_cast<T>(q.lo);
    const T hi = static_cast<T>(q.hi);
    const T span = static_cast<T>(q.span);
    const bool fast = O == Overflow::Saturate && q.span <= std::ldexp(1.0, 30);
    for (std::int64_t i = 0; i < n; ++i) {
        T s = src[i] * scale;
        s = s == s ? s : T(0); // NaN -> 0, as the reference quantizes it
        if (mask)
            mask[i] = O == Overflow::Wrap || (s >= lo && s <= hi) ? T(1) : T(0);
        T r;
        if (fast) {
            s = std::min(std::max(s, lo - 1), hi + 1);
            r = fastFloor(s);
        } else {
            r = std::floor(s);
        }
        if constexpr (R == Rounding::Round)
            r += (s - r >= T(0.5)) ? T(1) : T(0);
        if constexpr (R == Rounding::Convergent) // ties to even
            r += (s - r > T(0.5) || (s - r == T(0.5) && std::fmod(r, T(2)) != 0)) ? T(1) : T(0);
        if constexpr (O == Overflow::Saturate)
            r = std::min(std::max(r, lo), hi);
        else
            r -= span * std::floor((r - lo) / span);
        dst[i] = r * inverse;
    }
}

template <class T>
void quantizeRange(const T* src, T* dst, T* mask, std::int64_t n, const Quantizer& q) {
    const bool wrap = q.overflow == Overflow::Wrap;
    switch (q.rounding) {
    case Rounding::Truncate:
        return wrap ? quantizeLoop<Rounding::Truncate, Overflow::Wrap>(src, dst, mask, n, q)
                    : quantizeLoop<Rounding::Truncate, Overflow::Saturate>(src, dst, mask, n, q);
    case Rounding::Round:
        return wrap ? quantizeLoop<Rounding::Round, Overflow::Wrap>(src, dst, mask, n, q)
                    : quantizeLoop<Rounding::Round, Overflow::Saturate>(src, dst, mask, n, q);
    case Rounding::Convergent:
        return wrap ? quantizeLoop<Rounding::Convergent, Overflow::Wrap>(src, dst, mask, n, q)
                    : quantizeLoop<Rounding::Convergent, Overflow::Saturate>(src, dst, mask, n, q);
    }
}

constexpr std::int64_t kGrain = 1 << 14;

// One pass over the tensor: the quantized values, and the gradient mask when asked for.
at::Tensor quantizeKernel(const at::Tensor& input, const Quantizer& q, at::Tensor* mask) {
    const at::Tensor x = input.contiguous();
    at::Tensor out = at::empty_like(x);
    if (mask)
        *mask = at::empty_like(x);
    AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "fake_quant", [&] {
        const scalar_t* src = x.data_ptr<scalar_t>();
        scalar_t* dst = out.data_ptr<scalar_t>();
        scalar_t* m = mask ? mask->data_ptr<scalar_t>() : nullptr;
        at::parallel_for(0, x.numel(), kGrain, [&](std::int64_t begin, std::int64_t end) {
            quantizeRange(src + begin, dst + begin, m ? m + begin : nullptr, end - begin, q);
        });
    });
    return out;
}

// Forward: quantized values; backward: the incoming gradient where it passes, else 0.
class FakeQuantFunction : public torch::autograd::Function<FakeQuantFunction> {
public:
    static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x,
                              const Quantizer& q) {
        at::Tensor mask;
        at::Tensor out = quantizeKernel(x, q, &mask);
        ctx->save_for_backward({mask});
        return out;
    }
    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list grads) {
        const at::Tensor mask = ctx->get_saved_variables().front();
        return {grads.front() * mask, at::Tensor()};
    }
};

} // namespace

at::Tensor quantizeValues(const at::Tensor& x, const FixedType& type, QuantMode mode) {
    return quantizeKernel(x.detach(), Quantizer(type, mode), nullptr);
}

at::Tensor fakeQuant(const at::Tensor& x, const FixedType& type, QuantMode mode) {
    if (!x.requires_grad())
        return quantizeValues(x, type, mode);
    return FakeQuantFunction::apply(x, Quantizer(type, mode));
}

} // namespace codesign::train
