// Minimal stand-in for the vendor's ap_int.h, shipped by Codesign Studio so that the
// exported accelerator runs its C simulation with plain g++. It provides only what the
// generated code uses: ap_int / ap_uint of up to 128 bits with bit-range access, and
// conversions to and from 64-bit integers. The Makefile selects it only when the vendor
// headers are absent; Vitis HLS always uses its own.
#ifndef CODESIGN_AP_LITE_AP_INT_H
#define CODESIGN_AP_LITE_AP_INT_H

#include <cstdint>

typedef unsigned long long ap_ulong;
typedef long long ap_slong;

namespace cs_ap {

// A reference to bits [lo, hi] (at most 64 of them) of a word array.
class range_ref {
public:
    range_ref(std::uint64_t* words, int hi, int lo, int width)
        : words_(words), hi_(hi), lo_(lo), width_(width) {}

    ap_ulong to_uint64() const {
        ap_ulong v = 0;
        for (int b = hi_; b >= lo_; --b)
            v = (v << 1) | ((words_[b / 64] >> (b % 64)) & 1u);
        return v;
    }
    ap_slong to_int64() const {
        const int n = hi_ - lo_ + 1;
        const ap_ulong v = to_uint64();
        if (n >= 64)
            return static_cast<ap_slong>(v);
        const ap_ulong sign = ap_ulong(1) << (n - 1);
        return static_cast<ap_slong>((v ^ sign) - sign);
    }
    range_ref& operator=(ap_ulong v) {
        for (int b = lo_; b <= hi_ && b < width_; ++b) {
            const std::uint64_t bit = std::uint64_t(1) << (b % 64);
            if ((v >> (b - lo_)) & 1u)
                words_[b / 64] |= bit;
            else
                words_[b / 64] &= ~bit;
        }
        return *this;
    }

private:
    std::uint64_t* words_;
    int hi_;
    int lo_;
    int width_;
};

// W bits, two's complement when Signed; the spare bits of the last word are kept as the
// sign (or zero) extension so that 64-bit conversions are a plain read.
template <int W, bool Signed> class bits {
    static_assert(W >= 1 && W <= 128, "the bundled ap_int supports 1 to 128 bits");
    enum { kWords = (W + 63) / 64 };

public:
    bits() {
        for (int i = 0; i < kWords; ++i)
            v_[i] = 0;
    }
    bits(ap_slong x) { assign(x); }
    bits(long x) { assign(x); }
    bits(int x) { assign(x); }
    bits(unsigned x) { assignUnsigned(x); }
    bits(ap_ulong x) { assignUnsigned(x); }
    bits(unsigned long x) { assignUnsigned(x); }

    range_ref range(int hi, int lo) { return range_ref(v_, hi, lo, W); }
    ap_ulong range_value(int hi, int lo) const {
        return range_ref(const_cast<std::uint64_t*>(v_), hi, lo, W).to_uint64();
    }
    ap_ulong to_uint64() const { return range_value(W < 64 ? W - 1 : 63, 0); }
    ap_slong to_int64() const {
        if (W >= 64 || !Signed)
            return static_cast<ap_slong>(to_uint64());
        const ap_ulong sign = ap_ulong(1) << (W - 1);
        return static_cast<ap_slong>((to_uint64() ^ sign) - sign);
    }
    int to_int() const { return static_cast<int>(to_int64()); }

private:
    void assign(ap_slong x) {
        for (int i = 0; i < kWords; ++i)
            v_[i] = x < 0 ? ~std::uint64_t(0) : 0;
        v_[0] = static_cast<std::uint64_t>(x);
        normalize();
    }
    void assignUnsigned(ap_ulong x) {
        for (int i = 0; i < kWords; ++i)
            v_[i] = 0;
        v_[0] = x;
        normalize();
    }
    // Clears the bits above W (they are never read as value bits).
    void normalize() {
        if (W % 64 != 0)
            v_[kWords - 1] &= (std::uint64_t(1) << (W % 64)) - 1;
    }

    std::uint64_t v_[kWords];
};

} // namespace cs_ap

template <int W> class ap_int : public cs_ap::bits<W, true> {
public:
    using cs_ap::bits<W, true>::bits;
    ap_int() : cs_ap::bits<W, true>() {}
};

template <int W> class ap_uint : public cs_ap::bits<W, false> {
public:
    using cs_ap::bits<W, false>::bits;
    ap_uint() : cs_ap::bits<W, false>() {}
};

#endif
