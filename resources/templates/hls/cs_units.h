// Codesign Studio: the reusable units of the tiled bundle accelerator (docs/export.md,
// "The HLS design"). One DW unit, one PW unit, one pool unit and one remap unit serve
// every layer; each is called with the layer's descriptor and the tile region to compute.
// The parallel factors (CS_TN, CS_TM, CS_PD, CS_LANES) and buffer sizes come from
// cs_config.h, which the export generates from the estimate.
#ifndef CODESIGN_CS_UNITS_H
#define CODESIGN_CS_UNITS_H

#include "cs_config.h"

// A tensor in the tile memory: element (c, y, x) of the whole tensor sits in bank
// (c - ch0) % CS_NB at base + ((c - ch0) / CS_NB) * rows * cols + (y - r0) * cols + (x - c0).
// ch0 is 0 but for a block of a channel-blocked group, whose channels are renumbered from
// its first (docs/export.md, "Channel blocking").
struct cs_view {
    int base;
    int r0;
    int c0;
    int rows;
    int cols;
    int ch0 = 0;
};

// More channels than any tensor has: a channel range that takes them all.
const int CS_ALL = 1 << 30;

// The part of a layer's output one call computes: rows [r0, r1), columns [c0, c1), and in
// a channel-blocked group the channels of one block: a DW or pool call's output channels
// [ch0, ch1); the PW unit's input channels [ch0, ch1) (the part of the reduction it adds)
// and output channels [out0, out1).
struct cs_region {
    int r0;
    int r1;
    int c0;
    int c1;
    int ch0 = 0;
    int ch1 = CS_ALL;
    int out0 = 0;
    int out1 = CS_ALL;
};

// DW lane blocks straddle the weight image's blocks only in a channel-blocked group whose
// block is not a multiple of dw_parallel (cs_config.h defines it then).
#ifndef CS_DW_STRADDLE
#define CS_DW_STRADDLE 0
#endif

struct cs_inputs {
    cs_view v[CS_MAX_INPUTS];
};

enum {
    CS_OP_CONV = 0, // PW unit: conv, pwconv
    CS_OP_FC,       // PW unit: fully connected over the whole input
    CS_OP_DW,       // DW unit: K x K per channel
    CS_OP_FUSE_HALF,
    CS_OP_FUSE_FULL,
    CS_OP_MAXPOOL, // pool unit
    CS_OP_AVGPOOL,
    CS_OP_ADD,
    CS_OP_PASS,   // pool unit: copies its input for a relu/relu6/bn without a producer
    CS_OP_CONCAT, // remap unit
    CS_OP_REORG,
    CS_OP_UPSAMPLE
};
enum { CS_POST_RELU = 1, CS_POST_RELU6, CS_POST_BN };

// Everything a unit needs to know about one layer; the export writes one per layer.
struct cs_layer {
    int op;
    int in_c, in_h, in_w;
    int out_c, out_h, out_w;
    int kh, kw, stride, pad_h, pad_w, groups, factor;
    int w_off; // element offsets in the weight image; -1: none
    int b_off;
    int b_shift; // the bias format's integer bits beyond the weights' (reference::biasShift)
    int fmt;     // output format (cs_quantize)
    int recip;   // average pooling: round(2^CS_RECIP_BITS / window)
    int probe;   // layer index for the C simulation's probes
    int n_in;    // add / concat operands
    int in_ch[CS_MAX_INPUTS];
    // relu / relu6 / bn layers folded into this layer's output stage
    int post_n;
    int post_op[CS_MAX_POST];
    int post_fmt[CS_MAX_POST];
    int post_w[CS_MAX_POST];
    int post_b[CS_MAX_POST];
    int post_probe[CS_MAX_POST];
};

// The C simulation records every layer's output through this hook (the testbench defines
// it); synthesis never sees it.
#ifndef __SYNTHESIS__
void cs_probe(int layer, int c, int y, int x, double value);
#define CS_PROBE(id, c, y, x, v) cs_probe((id), (c), (y), (x), (v).to_double())
#else
#define CS_PROBE(id, c, y, x, v)
#endif

static inline int cs_addr(const cs_view& v, int c, int y, int x) {
    CS_HLS(INLINE)
    return v.base + ((c - v.ch0) / CS_NB) * v.rows * v.cols + (y - v.r0) * v.cols + (x - v.c0);
}

static inline act_t cs_read(act_t mem[CS_NB][CS_TDEPTH], const cs_view& v, int c, int y, int x) {
    CS_HLS(INLINE)
    return mem[(c - v.ch0) % CS_NB][cs_addr(v, c, y, x)];
}

static inline void cs_write(act_t mem[CS_NB][CS_TDEPTH], const cs_view& v, int c, int y, int x,
                            act_t value) {
    CS_HLS(INLINE)
    mem[(c - v.ch0) % CS_NB][cs_addr(v, c, y, x)] = value;
}

// One weight element by index (biases and batch-norm parameters: a few per block).
static inline wgt_t cs_weight(const word_t* wts, int e) {
    CS_HLS(INLINE)
    word_t w = wts[e / CS_WGT_PER_WORD];
    const int lo = (e % CS_WGT_PER_WORD) * CS_WGT_CONT;
    wgt_t v;
    v.range(CS_WGT_W - 1, 0) = w.range(lo + CS_WGT_W - 1, lo).to_uint64();
    return v;
}

// Bias element e of layer L in the accumulator: the image holds its raw value (format
// biasFormat: the weights' width, the output's integer bits) as if it were a weight; the
// shift restores its scale, exactly (acc_t has the bits, docs/export.md).
static inline acc_t cs_bias(const word_t* wts, const cs_layer& L, int e) {
    CS_HLS(INLINE)
    const acc_t b = cs_weight(wts, L.b_off + e);
    return b << L.b_shift;
}

// Raw bits of an activation, sign-extended to its DDR container.
static inline ap_ulong cs_to_container(act_t v) {
    CS_HLS(INLINE)
    ap_ulong bits = v.range(CS_ACT_W - 1, 0).to_uint64();
    if ((bits >> (CS_ACT_W - 1)) & 1)
        bits |= CS_ACT_EXTEND;
    return bits & CS_ACT_CONT_MASK;
}

// Parameters of the folded layers for `lanes` consecutive output channels from `c0`.
template <int LANES>
void cs_load_post(const word_t* wts, const cs_layer& L, int c0, wgt_t scale[LANES][CS_MAX_POST],
                  wgt_t shift[LANES][CS_MAX_POST]) {
    for (int k = 0; k < CS_MAX_POST; k++)
        for (int l = 0; l < LANES; l++) {
            CS_HLS(PIPELINE II = 1)
            const bool bn = k < L.post_n && L.post_op[k] == CS_POST_BN && c0 + l < L.out_c;
            scale[l][k] = bn ? cs_weight(wts, L.post_w[k] + c0 + l) : wgt_t(0);
            shift[l][k] = bn ? cs_weight(wts, L.post_b[k] + c0 + l) : wgt_t(0);
        }
}

// The output stage's folded layers: each result is quantized to that layer's format.
static inline act_t cs_post(act_t v, const cs_layer& L, const wgt_t scale[CS_MAX_POST],
                            const wgt_t shift[CS_MAX_POST], int c, int y, int x) {
    CS_HLS(INLINE)
    for (int k = 0; k < CS_MAX_POST; k++) {
        CS_HLS(UNROLL)
        if (k < L.post_n) {
            acc_t a = v;
            if (L.post_op[k] == CS_POST_RELU) {
                if (a < acc_t(0))
                    a = acc_t(0);
            } else if (L.post_op[k] == CS_POST_RELU6) {
                if (a < acc_t(0))
                    a = acc_t(0);
                if (a > acc_t(6))
                    a = acc_t(6);
            } else {
                acc_t product = v * scale[k];
                acc_t offset = shift[k];
                a = product + offset;
            }
            v = cs_quantize(a, L.post_fmt[k]);
            CS_PROBE(L.post_probe[k], c, y, x, v);
        }
    }
    return v;
}

// A position (c, y, x) in a C x H x W space, counted rather than divided out of a flat
// index: a division by a run-time size is a divider whose latency every call would pay.
struct cs_pos {
    int c;
    int y;
    int x;
};

static inline void cs_pos_next(cs_pos& p, int H, int W) {
    CS_HLS(INLINE)
    if (++p.x == W) {
        p.x = 0;
        if (++p.y == H) {
            p.y = 0;
            p.c++;
        }
    }
}

// p + s, where both have y < H and x < W: one carry per digit.
static inline void cs_pos_add(cs_pos& p, const cs_pos& s, int H, int W) {
    CS_HLS(INLINE)
    p.x += s.x;
    p.y += s.y;
    p.c += s.c;
    if (p.x >= W) {
        p.x -= W;
        p.y++;
    }
    if (p.y >= H) {
        p.y -= H;
        p.c++;
    }
}

// Lanes 0..LANES-1 at flat elements 0..LANES-1, and the step LANES, all by counting.
template <int LANES> void cs_lanes_start(cs_pos lane[LANES], cs_pos& step, int H, int W) {
    cs_pos p = {0, 0, 0};
    for (int n = 0; n < LANES; n++) {
        CS_HLS(PIPELINE II = 1)
        lane[n] = p;
        cs_pos_next(p, H, W);
    }
    step = p;
}

// DDR -> tile memory: rows [r0, r1) x columns [c0, c1) of a C x H x W tensor stored as
// [channel word][row][col], CS_ACT_PER_WORD channels per word; of a channel-blocked
// group's input, the channels [k0, k1) of a block (the whole words that hold them).
void cs_load(act_t mem[CS_NB][CS_TDEPTH], const word_t* fm, int ddr, int C, int H, int W,
             const cs_view& v, int r0, int r1, int c0, int c1, int k0 = 0, int k1 = CS_ALL) {
    CS_HLS(INLINE off)
    const int hi = k1 < C ? k1 : C;
    const int words = (hi + CS_ACT_PER_WORD - 1) / CS_ACT_PER_WORD;
    for (int cw = k0 / CS_ACT_PER_WORD; cw < words; cw++)
        for (int y = r0; y < r1; y++)
            for (int x = c0; x < c1; x++) {
                CS_HLS(PIPELINE II = 1)
                word_t w = fm[ddr + (cw * H + y) * W + x];
                for (int s = 0; s < CS_ACT_PER_WORD; s++) {
                    CS_HLS(UNROLL)
                    const int c = cw * CS_ACT_PER_WORD + s;
                    if (c >= k0 && c < hi) {
                        act_t a;
                        a.range(CS_ACT_W - 1, 0) =
                            w.range(s * CS_ACT_CONT + CS_ACT_W - 1, s * CS_ACT_CONT).to_uint64();
                        cs_write(mem, v, c, y, x, a);
                    }
                }
            }
}

// Tile memory -> DDR: the part of the tensor this tile owns.
void cs_store(act_t mem[CS_NB][CS_TDEPTH], word_t* fm, int ddr, int C, int H, int W,
              const cs_view& v, int r0, int r1, int c0, int c1) {
    CS_HLS(INLINE off)
    const int words = (C + CS_ACT_PER_WORD - 1) / CS_ACT_PER_WORD;
    for (int cw = 0; cw < words; cw++)
        for (int y = r0; y < r1; y++)
            for (int x = c0; x < c1; x++) {
                CS_HLS(PIPELINE II = 1)
                word_t w = 0;
                for (int s = 0; s < CS_ACT_PER_WORD; s++) {
                    CS_HLS(UNROLL)
                    const int c = cw * CS_ACT_PER_WORD + s;
                    const ap_ulong bits = c < C ? cs_to_container(cs_read(mem, v, c, y, x)) : 0;
                    w.range(s * CS_ACT_CONT + CS_ACT_CONT - 1, s * CS_ACT_CONT) = bits;
                }
                fm[ddr + (cw * H + y) * W + x] = w;
            }
}

// Only a folded batch norm has parameters to load; relu and relu6 have none.
static inline bool cs_has_bn(const cs_layer& L) {
    CS_HLS(INLINE)
    bool bn = false;
    for (int k = 0; k < CS_MAX_POST; k++) {
        CS_HLS(UNROLL)
        if (k < L.post_n && L.post_op[k] == CS_POST_BN)
            bn = true;
    }
    return bn;
}

// A weight block from DDR: a burst of ELEMS elements (padded to whole words) from word
// `wbase` into ROWS x COLS registers, element e at [e / COLS][e % COLS].
template <int ROWS, int COLS, int ELEMS>
void cs_fetch_block(const word_t* wts, int wbase, wgt_t blk[ROWS][COLS]) {
    CS_HLS(INLINE)
    for (int i = 0; i < ELEMS / CS_WGT_PER_WORD; i++) {
        CS_HLS(PIPELINE II = 1)
        word_t w = wts[wbase + i];
        for (int s = 0; s < CS_WGT_PER_WORD; s++) {
            const int e = i * CS_WGT_PER_WORD + s;
            if (e < ROWS * COLS)
                blk[e / COLS][e % COLS].range(CS_WGT_W - 1, 0) =
                    w.range(s * CS_WGT_CONT + CS_WGT_W - 1, s * CS_WGT_CONT).to_uint64();
        }
    }
}

// One PW weight block (Tm x Tn weights) from DDR: a burst of CS_PW_BLOCK elements.
void cs_pw_fetch(const word_t* wts, int wbase, wgt_t wblk[CS_TM][CS_TN]) {
    CS_HLS(INLINE off)
    cs_fetch_block<CS_TM, CS_TN, CS_PW_BLOCK>(wts, wbase, wblk);
}

// Where a PW pass is in its layer: group g, output block cob, input block cib, tap t.
struct cs_pw_step {
    int g;
    int cob;
    int cib;
    int ky; // the kernel tap, counted by the unit
    int kx;
    int ipg; // input (fc: flattened) and output channels per group, once per layer
    int opg;
    bool first; // starts the partial sums
    bool last;  // runs the output stage
};

// One PW pass: a flat pipelined loop over the region's pixels (one pipeline fill per
// pass, not per row), Tm x Tn products per pixel.
void cs_pw_pass(act_t mem[CS_NB][CS_TDEPTH], const cs_layer& L, const cs_inputs& in,
                const cs_view& out, const cs_region& rg, acc_t psum[CS_TM][CS_PSUM_DEPTH],
                const wgt_t wblk[CS_TM][CS_TN], const acc_t bias[CS_TM],
                const wgt_t scale[CS_TM][CS_MAX_POST], const wgt_t shift[CS_TM][CS_MAX_POST],
                const cs_pw_step& st, const cs_pos fc_lane[CS_TN]) {
    CS_HLS(INLINE off)
    const bool fc = L.op == CS_OP_FC;
    const int ipg = st.ipg;
    const int opg = st.opg;
    const int ky = st.ky;
    const int kx = st.kx;
    const int pixels = (rg.r1 - rg.r0) * (rg.c1 - rg.c0);
    int y = rg.r0;
    int x = rg.c0;
    for (int p = 0; p < pixels; p++) {
        CS_HLS(PIPELINE II = 1)
        CS_HLS(DEPENDENCE variable = psum inter false)
        act_t a[CS_TN];
        CS_HLS(ARRAY_PARTITION variable = a complete)
        for (int n = 0; n < CS_TN; n++) {
            CS_HLS(UNROLL)
            const int ci = st.cib + n;
            a[n] = act_t(0);
            if (ci < ipg) {
                if (fc) { // lane n's element of the flattened input
                    a[n] = cs_read(mem, in.v[0], fc_lane[n].c, fc_lane[n].y, fc_lane[n].x);
                } else {
                    const int iy = y * L.stride - L.pad_h + ky;
                    const int ix = x * L.stride - L.pad_w + kx;
                    if (iy >= 0 && iy < L.in_h && ix >= 0 && ix < L.in_w)
                        a[n] = cs_read(mem, in.v[0], st.g * ipg + ci, iy, ix);
                }
            }
        }
        for (int m = 0; m < CS_TM; m++) {
            CS_HLS(UNROLL)
            acc_t s = st.first ? acc_t(0) : psum[m][p];
            for (int n = 0; n < CS_TN; n++) {
                CS_HLS(UNROLL)
                acc_t product = wblk[m][n] * a[n];
                s += product;
            }
            if (!st.last) {
                psum[m][p] = s;
            } else if (st.cob + m < opg) {
                // Output stage: bias, the layer's format, folded layers.
                const int oc = st.g * opg + st.cob + m;
                acc_t b = bias[m];
                act_t v = cs_quantize(s + b, L.fmt);
                CS_PROBE(L.probe, oc, y, x, v);
                v = cs_post(v, L, scale[m], shift[m], oc, y, x);
                cs_write(mem, out, oc, y, x, v);
            }
        }
        if (++x == rg.c1) {
            x = rg.c0;
            y++;
        }
    }
}

// PW unit: Tm x Tn multipliers. For each block of Tm output and Tn input channels and each
// kernel tap, one pass over the region's pixels; partial sums stay in psum. The first pass
// starts the sums (no clearing pass), the last one runs the output stage. Weight blocks
// ping-pong: the next block's fetch has no data in common with this pass, so HLS runs the
// two calls side by side and a pass waits only for whichever is longer.
void cs_pw_unit(act_t mem[CS_NB][CS_TDEPTH], const word_t* wts, const cs_layer& L,
                const cs_inputs& in, const cs_view& out, const cs_region& rg) {
    CS_HLS(INLINE off)
    static acc_t psum[CS_TM][CS_PSUM_DEPTH];
    CS_HLS(ARRAY_PARTITION variable = psum complete dim = 1)
    wgt_t ping[CS_TM][CS_TN], pong[CS_TM][CS_TN];
    CS_HLS(ARRAY_PARTITION variable = ping complete dim = 0)
    CS_HLS(ARRAY_PARTITION variable = pong complete dim = 0)
    acc_t bias[CS_TM];
    CS_HLS(ARRAY_PARTITION variable = bias complete)
    wgt_t scale[CS_TM][CS_MAX_POST], shift[CS_TM][CS_MAX_POST];
    CS_HLS(ARRAY_PARTITION variable = scale complete dim = 0)
    CS_HLS(ARRAY_PARTITION variable = shift complete dim = 0)

    if (rg.r1 <= rg.r0 || rg.c1 <= rg.c0)
        return;
    const bool fc = L.op == CS_OP_FC;
    const int ipg = fc ? L.in_c * L.in_h * L.in_w : L.in_c / L.groups; // reduction per group
    const int opg = L.out_c / L.groups;
    const int taps = fc ? 1 : L.kh * L.kw;
    // This call's part: input channels [ci0, ci1) of the reduction and output channels
    // [co0, co1); all of both but in a channel-blocked group (one output block, one input
    // block per call). ci0 and co0 are multiples of CS_TN and CS_TM.
    const int ci0 = rg.ch0;
    const int ci1 = rg.ch1 < ipg ? rg.ch1 : ipg;
    const int co0 = rg.out0;
    const int co1 = rg.out1 < opg ? rg.out1 : opg;
    const int in_blocks = (ipg + CS_TN - 1) / CS_TN;
    const int passes =
        L.groups * ((co1 - co0 + CS_TM - 1) / CS_TM) * ((ci1 - ci0 + CS_TN - 1) / CS_TN) * taps;
    // Only the call that holds the last input block runs the output stage.
    const bool closes = ci1 == ipg;
    const bool bn = cs_has_bn(L);
    // fc: each lane's element of the flattened input, advanced by CS_TN per input block.
    // Counted only for fc: other layers' passes should not wait for it.
    cs_pos fc_first[CS_TN] = {}, fc_lane[CS_TN] = {}, fc_step = {};
    CS_HLS(ARRAY_PARTITION variable = fc_first complete)
    CS_HLS(ARRAY_PARTITION variable = fc_lane complete)
    if (fc)
        cs_lanes_start<CS_TN>(fc_first, fc_step, L.in_h, L.in_w);
    // Weight blocks in the image: per group, output block, input block, tap. The call's
    // blocks of one output block are consecutive; the next output block's start after
    // the input blocks the call leaves out.
    const int skip = (in_blocks - (ci1 - ci0 + CS_TN - 1) / CS_TN) * taps;
    int block = (co0 / CS_TM * in_blocks + ci0 / CS_TN) * taps;
    cs_pw_fetch(wts, (L.w_off + block * CS_PW_BLOCK) / CS_WGT_PER_WORD, ping);
    int pass = 0;
    cs_pw_step st;
    st.ipg = ipg;
    st.opg = opg;
    for (int g = 0; g < L.groups; g++)
        for (int cob = co0; cob < co1; cob += CS_TM) {
            st.g = g;
            st.cob = cob;
            // The output stage's parameters, before the passes: the last pass uses them.
            if (closes) {
                for (int m = 0; m < CS_TM; m++) {
                    CS_HLS(PIPELINE II = 1)
                    bias[m] = L.b_off >= 0 && cob + m < opg ? cs_bias(wts, L, g * opg + cob + m)
                                                            : acc_t(0);
                }
                if (bn)
                    cs_load_post<CS_TM>(wts, L, g * opg + cob, scale, shift);
            }
            for (int n = 0; n < CS_TN; n++) {
                CS_HLS(UNROLL)
                fc_lane[n] = fc_first[n];
            }
            for (int cib = ci0; cib < ci1; cib += CS_TN) {
                int ky = 0, kx = 0;
                for (int t = 0; t < taps; t++, block++, pass++) {
                    st.cib = cib;
                    st.ky = ky;
                    st.kx = kx;
                    st.first = cib == 0 && t == 0;
                    st.last = cib + CS_TN >= ipg && t == taps - 1;
                    const bool more = pass + 1 < passes;
                    // past the call's last block of this output block: the next one's first
                    const bool ends = cib + CS_TN >= ci1 && t == taps - 1;
                    const int next =
                        (L.w_off + (block + 1 + (ends ? skip : 0)) * CS_PW_BLOCK) / CS_WGT_PER_WORD;
                    if (pass % 2 == 0) {
                        if (more)
                            cs_pw_fetch(wts, next, pong);
                        cs_pw_pass(mem, L, in, out, rg, psum, ping, bias, scale, shift, st,
                                   fc_lane);
                    } else {
                        if (more)
                            cs_pw_fetch(wts, next, ping);
                        cs_pw_pass(mem, L, in, out, rg, psum, pong, bias, scale, shift, st,
                                   fc_lane);
                    }
                    if (++kx == L.kw) {
                        kx = 0;
                        ky++;
                    }
                }
                for (int n = 0; n < CS_TN; n++) {
                    CS_HLS(UNROLL)
                    if (fc)
                        cs_pos_add(fc_lane[n], fc_step, L.in_h, L.in_w);
                }
            }
            block += skip;
        }
}

// The weights of channels cb .. cb + CS_PD - 1 (CS_PD channels x CS_LANES taps) and their
// biases. The image holds them in blocks of CS_PD channels from channel 0, a burst each;
// a lane block of a channel-blocked group may start inside one (cb % CS_PD != 0) and then
// takes the next too, in the same burst.
void cs_dw_fetch(const word_t* wts, const cs_layer& L, int cb, wgt_t wt[CS_PD][CS_LANES],
                 acc_t bias[CS_PD]) {
    CS_HLS(INLINE off)
    const int first = (L.w_off + cb / CS_PD * CS_DW_BLOCK) / CS_WGT_PER_WORD;
    const int shift = cb % CS_PD;
    if (!CS_DW_STRADDLE || shift == 0) {
        cs_fetch_block<CS_PD, CS_LANES, CS_DW_BLOCK>(wts, first, wt);
    } else {
        wgt_t lo[CS_PD][CS_LANES], hi[CS_PD][CS_LANES];
        CS_HLS(ARRAY_PARTITION variable = lo complete dim = 0)
        CS_HLS(ARRAY_PARTITION variable = hi complete dim = 0)
        cs_fetch_block<CS_PD, CS_LANES, CS_DW_BLOCK>(wts, first, lo);
        // the next block only when the layer has one (not past the weight image)
        if ((cb / CS_PD + 1) * CS_PD < L.out_c)
            cs_fetch_block<CS_PD, CS_LANES, CS_DW_BLOCK>(wts, first + CS_DW_BLOCK / CS_WGT_PER_WORD,
                                                         hi);
        for (int l = 0; l < CS_PD; l++)
            for (int t = 0; t < CS_LANES; t++) {
                CS_HLS(UNROLL)
                wt[l][t] = shift + l < CS_PD                    ? lo[shift + l][t]
                           : (cb / CS_PD + 1) * CS_PD < L.out_c ? hi[shift + l - CS_PD][t]
                                                                : wgt_t(0);
            }
    }
    for (int l = 0; l < CS_PD; l++) {
        CS_HLS(PIPELINE II = 1)
        bias[l] = L.b_off >= 0 && cb + l < L.out_c ? cs_bias(wts, L, cb + l) : acc_t(0);
    }
}

// A DW layer's window, the same for all its blocks: set once per unit call.
struct cs_dw_window {
    int taps;
    int top, left; // input rows [y*s + top, y*s + top + wh), columns [x*s + left, + ww)
    int wh, ww;    // hold every tap of output (y, x); for FuSe, both branches' taps
};

// The window of layer L (dwWindow in core/estimate/tiled/tiled_model.h), and where tap t sits in
// the window registers: (hy, hx) for a K x K window or the 1 x K branch, (vy, vx) for the
// K x 1 branch of FuSe. The newest pixel enters at the bottom-right corner, so the
// window's row a is register row CS_WIN_H - wh + a; K x K taps are counted row by row.
void cs_dw_window_of(const cs_layer& L, cs_dw_window& w, int hy[CS_LANES], int hx[CS_LANES],
                     int vy[CS_LANES], int vx[CS_LANES]) {
    CS_HLS(INLINE off)
    const bool fuse = L.op != CS_OP_DW;
    w.taps = fuse ? L.kh : L.kh * L.kw;
    w.top = fuse ? (L.pad_h > 0 ? -L.pad_h : 0) : -L.pad_h;
    w.wh = fuse ? (L.kh - L.pad_h > 1 ? L.kh - L.pad_h : 1) - w.top : L.kh;
    w.left = fuse ? (L.pad_w > 0 ? -L.pad_w : 0) : -L.pad_w;
    w.ww = fuse ? (L.kh - L.pad_w > 1 ? L.kh - L.pad_w : 1) - w.left : L.kw;
    int ty = 0, tx = 0; // tap t of a K x K window
    for (int t = 0; t < CS_LANES; t++) {
        hy[t] = CS_WIN_H - w.wh + (fuse ? -w.top : ty);
        hx[t] = CS_WIN_W - w.ww + (fuse ? t - L.pad_w - w.left : tx);
        vy[t] = CS_WIN_H - w.wh + t - L.pad_h - w.top;
        vx[t] = CS_WIN_W - w.ww - w.left;
        if (++tx == L.kw) {
            tx = 0;
            ty++;
        }
    }
}

// One DW block over the region: the unit streams the input box of the region once, a
// pixel per cycle per channel. A line buffer keeps the window's earlier rows and a shift
// register its columns, so the banked tile memory sees one read and one write per lane
// and cycle (II 1).
void cs_dw_stream(act_t mem[CS_NB][CS_TDEPTH], const cs_layer& L, const cs_inputs& in,
                  const cs_view& out, const cs_region& rg, int cb, const cs_dw_window& w,
                  const int hy[CS_LANES], const int hx[CS_LANES], const int vy[CS_LANES],
                  const int vx[CS_LANES], const wgt_t wt[CS_PD][CS_LANES], const acc_t bias[CS_PD],
                  const wgt_t scale[CS_PD][CS_MAX_POST], const wgt_t shift[CS_PD][CS_MAX_POST]) {
    CS_HLS(INLINE off)
    static act_t lines[CS_PD][CS_LINE_ROWS][CS_LINE_COLS]; // CS_WIN_H - 1 rows (at least 1)
    CS_HLS(ARRAY_PARTITION variable = lines complete dim = 1)
    CS_HLS(ARRAY_PARTITION variable = lines complete dim = 2)
    act_t win[CS_PD][CS_WIN_H][CS_WIN_W];
    CS_HLS(ARRAY_PARTITION variable = win complete dim = 0)
    for (int l = 0; l < CS_PD; l++)
        for (int a = 0; a < CS_WIN_H; a++)
            for (int b = 0; b < CS_WIN_W; b++) {
                CS_HLS(UNROLL)
                win[l][a][b] = act_t(0);
            }

    const int s = L.stride;
    const int top = w.top, left = w.left, wh = w.wh, ww = w.ww;
    const int end = rg.ch1 < L.out_c ? rg.ch1 : L.out_c; // the block's channels
    const int y0 = rg.r0 * s + top;
    const int x0 = rg.c0 * s + left;
    const int box_rows = (rg.r1 - rg.r0 - 1) * s + wh;
    const int box_cols = (rg.c1 - rg.c0 - 1) * s + ww;
    // Box position (r, q); once the window is full, (r - wh + 1) = yo * s + ry and
    // (q - ww + 1) = xo * s + rx. Counters, not / and % by the run-time stride: those
    // would put dividers into the II-1 pipeline.
    int r = 0, q = 0;
    int ry = 0, yo = 0, rx = 0, xo = 0;
    for (int i = 0; i < box_rows * box_cols; i++) {
        CS_HLS(PIPELINE II = 1)
        CS_HLS(DEPENDENCE variable = lines inter false)
        const int iy = y0 + r;
        const int ix = x0 + q;
        const bool inside = iy >= 0 && iy < L.in_h && ix >= 0 && ix < L.in_w;
        // An output pixel is complete when the window's bottom-right tap arrives.
        const bool emit = r >= wh - 1 && q >= ww - 1 && ry == 0 && rx == 0;
        const int y = rg.r0 + yo;
        const int x = rg.c0 + xo;
        for (int l = 0; l < CS_PD; l++) {
            CS_HLS(UNROLL)
            const int oc = cb + l;
            // FuSe half: the first C/2 channels run 1 x K, the rest K x 1;
            // full: 1 x K on channel oc < C, K x 1 on channel oc - C.
            bool horizontal = true;
            int ic = oc;
            if (L.op == CS_OP_FUSE_HALF)
                horizontal = oc < L.in_c / 2;
            if (L.op == CS_OP_FUSE_FULL) {
                horizontal = oc < L.in_c;
                ic = horizontal ? oc : oc - L.in_c;
            }
            const act_t v = oc < end && inside ? cs_read(mem, in.v[0], ic, iy, ix) : act_t(0);
            // Shift the window left; its new column is the line buffer's column q (the
            // rows above) and the new pixel. Then the line buffer moves up a row.
            for (int a = 0; a < CS_WIN_H; a++) {
                CS_HLS(UNROLL)
                for (int b = 0; b + 1 < CS_WIN_W; b++) {
                    CS_HLS(UNROLL)
                    win[l][a][b] = win[l][a][b + 1];
                }
                win[l][a][CS_WIN_W - 1] = a + 1 < CS_WIN_H ? lines[l][a][q] : v;
            }
            for (int a = 0; a + 2 < CS_WIN_H; a++) {
                CS_HLS(UNROLL)
                lines[l][a][q] = lines[l][a + 1][q];
            }
            if (CS_WIN_H > 1)
                lines[l][CS_LINE_ROWS - 1][q] = v;
            if (emit && oc < end) {
                acc_t sum = bias[l];
                for (int t = 0; t < CS_LANES; t++) {
                    CS_HLS(UNROLL)
                    if (t < w.taps) {
                        const act_t a = horizontal ? win[l][hy[t]][hx[t]] : win[l][vy[t]][vx[t]];
                        acc_t product = wt[l][t] * a;
                        sum += product;
                    }
                }
                act_t o = cs_quantize(sum, L.fmt);
                CS_PROBE(L.probe, oc, y, x, o);
                o = cs_post(o, L, scale[l], shift[l], oc, y, x);
                cs_write(mem, out, oc, y, x, o);
            }
        }
        if (++q == box_cols) {
            q = rx = xo = 0;
            if (++r > wh - 1 && ++ry == s) {
                ry = 0;
                yo++;
            }
        } else if (q > ww - 1 && ++rx == s) {
            rx = 0;
            xo++;
        }
    }
}

// DW unit: CS_PD channels at a time, each with CS_LANES multipliers over its window (K x K
// for dwconv; 1 x K or K x 1 for the two FuSe branches). Weight blocks ping-pong as in the
// PW unit: the next block's fetch runs beside this block's stream.
void cs_dw_unit(act_t mem[CS_NB][CS_TDEPTH], const word_t* wts, const cs_layer& L,
                const cs_inputs& in, const cs_view& out, const cs_region& rg) {
    CS_HLS(INLINE off)
    wgt_t wping[CS_PD][CS_LANES], wpong[CS_PD][CS_LANES];
    CS_HLS(ARRAY_PARTITION variable = wping complete dim = 0)
    CS_HLS(ARRAY_PARTITION variable = wpong complete dim = 0)
    acc_t bping[CS_PD], bpong[CS_PD];
    CS_HLS(ARRAY_PARTITION variable = bping complete)
    CS_HLS(ARRAY_PARTITION variable = bpong complete)
    wgt_t scale[CS_PD][CS_MAX_POST], shift[CS_PD][CS_MAX_POST];
    CS_HLS(ARRAY_PARTITION variable = scale complete dim = 0)
    CS_HLS(ARRAY_PARTITION variable = shift complete dim = 0)

    if (rg.r1 <= rg.r0 || rg.c1 <= rg.c0)
        return;
    const bool bn = cs_has_bn(L);
    cs_dw_window w;
    int hy[CS_LANES], hx[CS_LANES], vy[CS_LANES], vx[CS_LANES];
    CS_HLS(ARRAY_PARTITION variable = hy complete)
    CS_HLS(ARRAY_PARTITION variable = hx complete)
    CS_HLS(ARRAY_PARTITION variable = vy complete)
    CS_HLS(ARRAY_PARTITION variable = vx complete)
    cs_dw_window_of(L, w, hy, hx, vy, vx);
    // a channel-blocked group's block: channels [ch0, ch1) (lane blocks from ch0)
    const int end = rg.ch1 < L.out_c ? rg.ch1 : L.out_c;
    cs_dw_fetch(wts, L, rg.ch0, wping, bping);
    int block = 0;
    for (int cb = rg.ch0; cb < end; cb += CS_PD, block++) {
        if (bn)
            cs_load_post<CS_PD>(wts, L, cb, scale, shift);
        const bool more = cb + CS_PD < end;
        if (block % 2 == 0) {
            if (more)
                cs_dw_fetch(wts, L, cb + CS_PD, wpong, bpong);
            cs_dw_stream(mem, L, in, out, rg, cb, w, hy, hx, vy, vx, wping, bping, scale, shift);
        } else {
            if (more)
                cs_dw_fetch(wts, L, cb + CS_PD, wping, bping);
            cs_dw_stream(mem, L, in, out, rg, cb, w, hy, hx, vy, vx, wpong, bpong, scale, shift);
        }
    }
}

// Pool unit: CS_TM channels at a time, one window tap per cycle (max, average), or one
// pixel per cycle (add of the operands; pass for a standalone relu/relu6/bn).
void cs_pool_unit(act_t mem[CS_NB][CS_TDEPTH], const word_t* wts, const cs_layer& L,
                  const cs_inputs& in, const cs_view& out, const cs_region& rg) {
    CS_HLS(INLINE off)
    wgt_t scale[CS_TM][CS_MAX_POST], shift[CS_TM][CS_MAX_POST];
    CS_HLS(ARRAY_PARTITION variable = scale complete dim = 0)
    CS_HLS(ARRAY_PARTITION variable = shift complete dim = 0)
    act_t best[CS_TM];
    pool_sum_t sum[CS_TM];
    acc_t total[CS_TM];
    bool any[CS_TM];
    CS_HLS(ARRAY_PARTITION variable = best complete)
    CS_HLS(ARRAY_PARTITION variable = sum complete)
    CS_HLS(ARRAY_PARTITION variable = total complete)
    CS_HLS(ARRAY_PARTITION variable = any complete)

    if (rg.r1 <= rg.r0 || rg.c1 <= rg.c0)
        return;
    const bool window = L.op == CS_OP_MAXPOOL || L.op == CS_OP_AVGPOOL;
    const int taps = window ? L.kh * L.kw : 1;
    recip_t recip;
    recip.range(CS_RECIP_BITS + 1, 0) = ap_ulong(L.recip);
    const bool bn = cs_has_bn(L);
    const int steps = (rg.r1 - rg.r0) * (rg.c1 - rg.c0) * taps;
    const int end = rg.ch1 < L.out_c ? rg.ch1 : L.out_c; // a channel block's, or all
    for (int cb = rg.ch0; cb < end; cb += CS_TM) {
        if (bn)
            cs_load_post<CS_TM>(wts, L, cb, scale, shift);
        // One flat loop over (pixel, tap): the pipeline fills once per channel block.
        // Tap t is (ty, tx) of the window, counted rather than t / kw, t % kw (dividers).
        int y = rg.r0;
        int x = rg.c0;
        int t = 0, ty = 0, tx = 0;
        for (int i = 0; i < steps; i++) {
            CS_HLS(PIPELINE II = 1)
            const int iy = window ? y * L.stride - L.pad_h + ty : y;
            const int ix = window ? x * L.stride - L.pad_w + tx : x;
            const bool inside = iy >= 0 && iy < L.in_h && ix >= 0 && ix < L.in_w;
            for (int m = 0; m < CS_TM; m++) {
                CS_HLS(UNROLL)
                const int c = cb + m;
                if (t == 0) {
                    best[m] = act_t(0);
                    sum[m] = pool_sum_t(0);
                    total[m] = acc_t(0);
                    any[m] = false;
                }
                if (c < end && inside) {
                    const act_t a = cs_read(mem, in.v[0], c, iy, ix);
                    if (!any[m] || a > best[m])
                        best[m] = a;
                    any[m] = true;
                    pool_sum_t widened = a;
                    sum[m] += widened;
                    if (L.op == CS_OP_ADD) { // a is the first operand: one read less
                        acc_t operand = a;
                        total[m] += operand;
                        // unrolled to the adds' operands only: a concat's do not
                        // share this pipeline (docs/estimator.md, "Initiation intervals")
                        for (int k = 1; k < CS_MAX_ADD; k++) {
                            if (k < L.n_in) {
                                operand = cs_read(mem, in.v[k], c, iy, ix);
                                total[m] += operand;
                            }
                        }
                    }
                }
                if (t == taps - 1 && c < end) {
                    act_t v;
                    if (L.op == CS_OP_PASS) {
                        v = best[m];
                    } else if (L.op == CS_OP_ADD) {
                        v = cs_quantize(total[m], L.fmt);
                    } else if (L.op == CS_OP_AVGPOOL) {
#if CS_HAS_AVERAGE
                        pool_avg_t average = sum[m] * recip;
                        v = cs_quantize(average, L.fmt);
#else
                        v = act_t(0);
#endif
                    } else {
                        acc_t widened = best[m];
                        v = cs_quantize(widened, L.fmt);
                    }
                    if (L.op != CS_OP_PASS)
                        CS_PROBE(L.probe, c, y, x, v);
                    v = cs_post(v, L, scale[m], shift[m], c, y, x);
                    cs_write(mem, out, c, y, x, v);
                }
            }
            if (++t == taps) {
                t = ty = tx = 0;
                if (++x == rg.c1) {
                    x = rg.c0;
                    y++;
                }
            } else if (++tx == L.kw) {
                tx = 0;
                ty++;
            }
        }
    }
}

// Remap unit: concat, reorg and upsample move values to new addresses (no arithmetic but
// the quantization to the layer's format).
void cs_remap_unit(act_t mem[CS_NB][CS_TDEPTH], const word_t* wts, const cs_layer& L,
                   const cs_inputs& in, const cs_view& out, const cs_region& rg) {
    CS_HLS(INLINE off)
    wgt_t scale[CS_TM][CS_MAX_POST], shift[CS_TM][CS_MAX_POST];
    CS_HLS(ARRAY_PARTITION variable = scale complete dim = 0)
    CS_HLS(ARRAY_PARTITION variable = shift complete dim = 0)
    // No division by the run-time factor in a loop (it would be a divider): reorg's output
    // channel c reads input channel c / f^2 at offset ((c / f) % f, c % f), which is c as
    // a position in a C x f x f space, counted per lane and advanced per channel block;
    // upsample's source pixel (y / f, x / f) is counted along the pixels.
    const int f = L.factor > 0 ? L.factor : 1;
    const bool reorg = L.op == CS_OP_REORG;
    cs_pos src[CS_TM] = {}, src_step = {};
    CS_HLS(ARRAY_PARTITION variable = src complete)
    if (reorg)
        cs_lanes_start<CS_TM>(src, src_step, f, f);
    const bool bn = cs_has_bn(L);
    const int pixels = (rg.r1 - rg.r0) * (rg.c1 - rg.c0);
    // Once per call: the region's first pixel in source pixels and phases.
    const int sy0 = rg.r0 / f, fy0 = rg.r0 % f, sx0 = rg.c0 / f, fx0 = rg.c0 % f;
    for (int cb = 0; cb < L.out_c; cb += CS_TM) {
        if (bn)
            cs_load_post<CS_TM>(wts, L, cb, scale, shift);
        int y = rg.r0, x = rg.c0;
        int sy = sy0, fy = fy0; // y = sy * f + fy
        int sx = sx0, fx = fx0; // x = sx * f + fx
        for (int p = 0; p < pixels; p++) {
            CS_HLS(PIPELINE II = 1)
            for (int m = 0; m < CS_TM; m++) {
                CS_HLS(UNROLL)
                const int c = cb + m;
                if (c < L.out_c) {
                    act_t a = act_t(0);
                    if (L.op == CS_OP_UPSAMPLE) {
                        a = cs_read(mem, in.v[0], c, sy, sx);
                    } else if (L.op == CS_OP_REORG) {
                        a = cs_read(mem, in.v[0], src[m].c, y * f + src[m].y, x * f + src[m].x);
                    } else {
                        // concat: the operand that holds channel c, then one read, so
                        // the lane makes one tile-memory access whatever the operands
                        int sel = 0, first = 0, start = 0;
                        for (int k = 0; k < CS_MAX_INPUTS; k++) {
                            if (k < L.n_in && c >= start) {
                                sel = k;
                                first = start;
                            }
                            start += k < L.n_in ? L.in_ch[k] : 0;
                        }
                        a = cs_read(mem, in.v[sel], c - first, y, x);
                    }
                    acc_t widened = a;
                    act_t v = cs_quantize(widened, L.fmt);
                    CS_PROBE(L.probe, c, y, x, v);
                    v = cs_post(v, L, scale[m], shift[m], c, y, x);
                    cs_write(mem, out, c, y, x, v);
                }
            }
            if (++x == rg.c1) {
                x = rg.c0;
                sx = sx0;
                fx = fx0;
                y++;
                if (++fy == f) {
                    fy = 0;
                    sy++;
                }
            } else if (++fx == f) {
                fx = 0;
                sx++;
            }
        }
        for (int m = 0; m < CS_TM; m++) {
            CS_HLS(UNROLL)
            if (reorg)
                cs_pos_add(src[m], src_step, f, f);
        }
    }
}

#endif
