// Minimal stand-in for the vendor's ap_fixed.h (see ap_int.h beside it). Signed fixed point
// ap_fixed<W, I, Q, O> of up to 64 bits, held as its raw two's complement value r (the value
// is r * 2^-(W-I)). It implements the operations the generated code uses, with the vendor's
// rules: products are exact (W1+W2, I1+I2), sums of one type are exact when they fit, and a
// conversion first rounds (AP_TRN, AP_RND, AP_RND_CONV) then handles overflow (AP_WRAP,
// AP_SAT). docs/export.md states the arithmetic; the C simulation checks it against the
// reference bit for bit.
#ifndef CODESIGN_AP_LITE_AP_FIXED_H
#define CODESIGN_AP_LITE_AP_FIXED_H

#include "ap_int.h"

#include <cmath>
#include <cstdint>

enum ap_q_mode {
    AP_RND,
    AP_RND_ZERO,
    AP_RND_MIN_INF,
    AP_RND_INF,
    AP_RND_CONV,
    AP_TRN,
    AP_TRN_ZERO
};
enum ap_o_mode { AP_SAT, AP_SAT_ZERO, AP_SAT_SYM, AP_WRAP, AP_WRAP_SM };

namespace cs_ap {

__extension__ typedef __int128 wide_t;

// raw * 2^-from_frac as a raw value of (W, F) under modes Q and O.
template <int W, int F, ap_q_mode Q, ap_o_mode O>
inline ap_slong convert(wide_t raw, int from_frac) {
    static_assert(Q == AP_TRN || Q == AP_RND || Q == AP_RND_CONV,
                  "the bundled ap_fixed implements AP_TRN, AP_RND and AP_RND_CONV");
    static_assert(O == AP_WRAP || O == AP_SAT, "the bundled ap_fixed implements AP_WRAP, AP_SAT");
    wide_t v = raw;
    const int shift = from_frac - F;
    if (shift > 0) {
        if (shift >= 126) {
            v = (Q == AP_TRN && raw < 0) ? -1 : 0;
        } else {
            const wide_t q = raw >> shift; // floor
            const wide_t r = raw - q * (wide_t(1) << shift);
            const wide_t half = wide_t(1) << (shift - 1);
            v = q;
            if (Q == AP_RND && r >= half)
                v = q + 1;
            if (Q == AP_RND_CONV && (r > half || (r == half && (q & 1) != 0)))
                v = q + 1;
        }
    } else if (shift < 0) {
        v = raw * (wide_t(1) << -shift); // the formats keep this within 128 bits
    }
    if (O == AP_SAT) {
        const wide_t hi = (wide_t(1) << (W - 1)) - 1;
        const wide_t lo = -(wide_t(1) << (W - 1));
        v = v > hi ? hi : v < lo ? lo : v;
        return static_cast<ap_slong>(v);
    }
    // AP_WRAP: keep the low W bits, sign-extended.
    const std::uint64_t u = static_cast<std::uint64_t>(v);
    if (W >= 64)
        return static_cast<ap_slong>(u);
    const std::uint64_t mask = (std::uint64_t(1) << (W % 64)) - 1;
    const std::uint64_t sign = std::uint64_t(1) << ((W - 1) % 64);
    return static_cast<ap_slong>(((u & mask) ^ sign) - sign);
}

} // namespace cs_ap

template <int W, int I, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0> class ap_fixed {
    static_assert(W >= 1 && W <= 64, "the bundled ap_fixed supports 1 to 64 bits");

public:
    enum { width = W, iwidth = I, frac = W - I };

    ap_fixed() : raw_(0) {}
    ap_fixed(int v) : raw_(cs_ap::convert<W, W - I, Q, O>(cs_ap::wide_t(v), 0)) {}
    template <int W2, int I2, ap_q_mode Q2, ap_o_mode O2, int N2>
    ap_fixed(const ap_fixed<W2, I2, Q2, O2, N2>& o)
        : raw_(cs_ap::convert<W, W - I, Q, O>(cs_ap::wide_t(o.raw()), W2 - I2)) {}

    // The exact product, as the vendor's: W1 + W2 bits, I1 + I2 of them integer.
    template <int W2, int I2, ap_q_mode Q2, ap_o_mode O2, int N2>
    ap_fixed<W + W2, I + I2> operator*(const ap_fixed<W2, I2, Q2, O2, N2>& o) const {
        static_assert(W + W2 <= 64, "the bundled ap_fixed keeps products within 64 bits");
        return ap_fixed<W + W2, I + I2>::from_raw(raw_ * o.raw());
    }
    ap_fixed& operator+=(const ap_fixed& o) {
        raw_ = cs_ap::convert<W, W - I, AP_TRN, AP_WRAP>(cs_ap::wide_t(raw_) + o.raw_, W - I);
        return *this;
    }
    ap_fixed operator+(const ap_fixed& o) const {
        ap_fixed r(*this);
        r += o;
        return r;
    }
    // The bits moved left within the type, as the vendor's: what passes bit W - 1 is lost.
    ap_fixed operator<<(int shift) const {
        return from_raw(cs_ap::convert<W, W - I, AP_TRN, AP_WRAP>(
            cs_ap::wide_t(raw_) * (cs_ap::wide_t(1) << shift), W - I));
    }
    bool operator<(const ap_fixed& o) const { return raw_ < o.raw_; }
    bool operator>(const ap_fixed& o) const { return raw_ > o.raw_; }
    bool operator<=(const ap_fixed& o) const { return raw_ <= o.raw_; }
    bool operator>=(const ap_fixed& o) const { return raw_ >= o.raw_; }
    bool operator==(const ap_fixed& o) const { return raw_ == o.raw_; }
    bool operator!=(const ap_fixed& o) const { return raw_ != o.raw_; }

    double to_double() const { return std::ldexp(static_cast<double>(raw_), -(W - I)); }

    // Bits [lo, hi] of the raw value, for loading and storing it through memory words.
    class range_ref {
    public:
        range_ref(ap_fixed& f, int hi, int lo) : f_(f), hi_(hi), lo_(lo) {}
        ap_ulong to_uint64() const {
            const std::uint64_t u = static_cast<std::uint64_t>(f_.raw_) >> lo_;
            const int n = hi_ - lo_ + 1;
            return n >= 64 ? u : u & ((std::uint64_t(1) << n) - 1);
        }
        range_ref& operator=(ap_ulong v) {
            const int n = hi_ - lo_ + 1;
            const std::uint64_t field = n >= 64 ? ~std::uint64_t(0) : (std::uint64_t(1) << n) - 1;
            std::uint64_t u = static_cast<std::uint64_t>(f_.raw_);
            u = (u & ~(field << lo_)) | ((v & field) << lo_);
            f_.raw_ = cs_ap::convert<W, W - I, AP_TRN, AP_WRAP>(
                cs_ap::wide_t(static_cast<ap_slong>(u)), W - I); // re-extend the sign
            return *this;
        }

    private:
        ap_fixed& f_;
        int hi_;
        int lo_;
    };
    range_ref range(int hi, int lo) { return range_ref(*this, hi, lo); }

    ap_slong raw() const { return raw_; }
    static ap_fixed from_raw(ap_slong r) {
        ap_fixed f;
        f.raw_ = r;
        return f;
    }

private:
    ap_slong raw_;
};

#endif
