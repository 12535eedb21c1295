// Codesign Studio: C simulation testbench of the exported accelerator. It loads the weight
// image and the input of tb_data/, runs the top function, and compares every layer's output
// with the golden vectors of the fixed-point reference, bit for bit. Each AXI master has a
// buffer of its own, as in RTL co-simulation (which gives each port its own memory): the
// loads read fm_in, the stores write fm_out, and the testbench runs one accelerator group
// per call and copies fm_out to fm_in between calls (on the board both ports share one
// buffer and one call runs every group).
//
//   - in C simulation each unit reports every value it computes (cs_probe), so every layer,
//     including the ones folded into another layer's output stage, is checked;
//   - the tensors the accelerator writes to DDR are checked in every mode (also RTL
//     co-simulation, where the probes are silent);
//   - host layers (bbox_head) are computed here from their DDR input, as the driver does.
// Exit status 0 only when every output is bit-exact.
#include "cs_host.h"
#include "network.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

std::vector<std::vector<double>> g_probes;
long g_probe_calls = 0;

bool read_file(const std::string& path, std::string& bytes) {
    std::ifstream in(path.c_str(), std::ios::binary);
    if (!in)
        return false;
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return true;
}

long long sign_extend(unsigned long long u, int bits) {
    if (bits < 64 && ((u >> (bits - 1)) & 1))
        u |= ~0ULL << bits;
    return static_cast<long long>(u);
}

// Element i of a little-endian array of `container`-bit two's complement integers.
long long element(const std::string& bytes, size_t i, int container) {
    const int n = container / 8;
    unsigned long long u = 0;
    for (int b = 0; b < n; b++)
        u |= static_cast<unsigned long long>(static_cast<unsigned char>(bytes[i * n + b]))
             << (8 * b);
    return sign_extend(u, container);
}

// The raw storage-format values of a tensor in the feature-map buffer.
std::vector<long long> read_ddr(const std::vector<word_t>& fm, const cs_tensor_info& t) {
    std::vector<long long> v(static_cast<size_t>(t.c) * t.h * t.w);
    for (int c = 0; c < t.c; c++)
        for (int y = 0; y < t.h; y++)
            for (int x = 0; x < t.w; x++) {
                word_t w = fm[t.ddr + (static_cast<long>(c / CS_ACT_PER_WORD) * t.h + y) * t.w + x];
                const int lo = (c % CS_ACT_PER_WORD) * CS_ACT_CONT;
                v[(static_cast<size_t>(c) * t.h + y) * t.w + x] =
                    sign_extend(w.range(lo + CS_ACT_CONT - 1, lo).to_uint64(), CS_ACT_CONT);
            }
    return v;
}

} // namespace

void cs_probe(int layer, int c, int y, int x, double value) {
    if (layer < 0 || layer >= CS_NUM_LAYERS)
        return;
    const cs_tensor_info& t = CS_LAYERS[layer];
    if (c < 0 || c >= t.c || y < 0 || y >= t.h || x < 0 || x >= t.w) {
        std::printf("probe outside %s: (%d, %d, %d)\n", t.name, c, y, x);
        return;
    }
    g_probes[layer][(static_cast<size_t>(c) * t.h + y) * t.w + x] = value;
    g_probe_calls++;
}

int main(int argc, char** argv) {
    const std::string dir = argc > 1 ? std::string(argv[1]) + "/" : std::string();
    std::string bytes;

    // Weight image: CS_PORT_BITS / 8 little-endian bytes per word.
    if (!read_file(dir + "weights/ddr_image.bin", bytes)) {
        std::printf("cannot read %sweights/ddr_image.bin\n", dir.c_str());
        return 2;
    }
    const int word_bytes = CS_PORT_BITS / 8;
    std::vector<word_t> wts(CS_WEIGHT_WORDS);
    for (int i = 0; i < CS_WEIGHT_WORDS && static_cast<size_t>(i + 1) * word_bytes <= bytes.size();
         i++)
        for (int b = 0; b < word_bytes; b++)
            wts[i].range(8 * b + 7, 8 * b) = static_cast<ap_ulong>(
                static_cast<unsigned char>(bytes[static_cast<size_t>(i) * word_bytes + b]));

    // Input image: raw values of the input format, moved to the storage format in DDR.
    if (!read_file(dir + "tb_data/input.bin", bytes)) {
        std::printf("cannot read %stb_data/input.bin\n", dir.c_str());
        return 2;
    }
    std::vector<word_t> fm_out(CS_FM_WORDS);
    for (int i = 0; i < CS_FM_WORDS; i++)
        fm_out[i] = 0;
    const cs_tensor_info& in = CS_INPUT;
    for (int c = 0; c < in.c; c++)
        for (int y = 0; y < in.h; y++)
            for (int x = 0; x < in.w; x++) {
                const size_t i = (static_cast<size_t>(c) * in.h + y) * in.w + x;
                const long long raw =
                    element(bytes, i, in.container) * (1LL << (CS_ACT_FRAC - in.frac));
                const long word =
                    in.ddr + (static_cast<long>(c / CS_ACT_PER_WORD) * in.h + y) * in.w + x;
                const int lo = (c % CS_ACT_PER_WORD) * CS_ACT_CONT;
                fm_out[word].range(lo + CS_ACT_CONT - 1, lo) =
                    static_cast<ap_ulong>(raw) & CS_ACT_CONT_MASK;
            }

    g_probes.resize(CS_NUM_LAYERS);
    for (int l = 0; l < CS_NUM_LAYERS; l++)
        g_probes[l].assign(static_cast<size_t>(CS_LAYERS[l].c) * CS_LAYERS[l].h * CS_LAYERS[l].w,
                           NAN);

    // The input goes to both ports' buffers; the stores write fm_out, the loads read fm_in.
    std::vector<word_t> fm_in(fm_out);
    std::printf("running %s on a %dx%dx%d input, %d groups\n", "codesign_top", in.c, in.h, in.w,
                CS_NUM_GROUPS);
    for (int group = 0; group < CS_NUM_GROUPS; group++) {
        codesign_top(fm_in.data(), fm_out.data(), wts.data(), group, group);
        fm_in = fm_out;
    }
    const bool probes = g_probe_calls > 0;
    if (!probes)
        std::printf("no probes (RTL co-simulation): checking the tensors in DDR only\n");

    int exact = 0, failed = 0;
    for (int l = 0; l < CS_NUM_LAYERS; l++) {
        const cs_tensor_info& t = CS_LAYERS[l];
        char name[32];
        std::snprintf(name, sizeof name, "tb_data/layer_%03d.bin", l);
        if (!read_file(dir + name, bytes)) {
            std::printf("cannot read %s%s\n", dir.c_str(), name);
            return 2;
        }
        const size_t n = static_cast<size_t>(t.c) * t.h * t.w;
        long wrong = 0, missing = 0, checked = 0;
        if (t.host) {
            const cs_tensor_info& src = CS_LAYERS[t.source];
            const std::vector<long long> raw = read_ddr(fm_out, src);
            long long out[5];
            cs_host::bbox_decode(raw, src.h, src.w, t.anchors, CS_ACT_FRAC, t.width, t.frac,
                                 t.rounding, t.overflow, out);
            for (size_t i = 0; i < n; i++, checked++)
                wrong += out[i] != element(bytes, i, t.container);
        } else {
            if (probes)
                for (size_t i = 0; i < n; i++, checked++) {
                    const double want =
                        std::ldexp(static_cast<double>(element(bytes, i, t.container)), -t.frac);
                    const double got = g_probes[l][i];
                    if (std::isnan(got))
                        missing++;
                    else if (got != want) {
                        if (wrong < 3)
                            std::printf("  %s[%zu]: got %.10g, want %.10g\n", t.name, i, got, want);
                        wrong++;
                    }
                }
            if (t.ddr >= 0) {
                const std::vector<long long> raw = read_ddr(fm_out, t);
                for (size_t i = 0; i < n; i++, checked++) {
                    const double want =
                        std::ldexp(static_cast<double>(element(bytes, i, t.container)), -t.frac);
                    const double got = std::ldexp(static_cast<double>(raw[i]), -CS_ACT_FRAC);
                    if (got != want) {
                        if (wrong < 3)
                            std::printf("  %s[%zu] in DDR: got %.10g, want %.10g\n", t.name, i, got,
                                        want);
                        wrong++;
                    }
                }
            }
        }
        const bool ok = wrong == 0 && missing == 0;
        if (checked == 0) {
            std::printf("layer %-20s %-14s %dx%dx%d: on chip only, not checked in RTL\n", t.name,
                        t.op, t.c, t.h, t.w);
            continue;
        }
        std::printf("layer %-20s %-14s %dx%dx%d: %s", t.name, t.op, t.c, t.h, t.w,
                    ok ? "bit-exact\n" : "MISMATCH");
        if (!ok)
            std::printf(" (%ld wrong, %ld not computed of %zu)\n", wrong, missing, n);
        (ok ? exact : failed)++;
    }
    if (failed == 0)
        std::printf("PASS: %d of %d layer outputs bit-exact against the reference\n", exact,
                    exact + failed);
    else
        std::printf("FAIL: %d of %d layer outputs differ from the reference\n", failed,
                    exact + failed);
    return failed == 0 ? 0 : 1;
}
