#!/bin/sh
# The seed's headline, end to end (issue 17, item 4; docs/training.md, "The headline run"):
# on the synthetic detection set, with one training budget for every network, train the
# seed's DNN-A, DNN-B and DNN-C, run the co-design search on the DAC-SDC space (Pynq-Z1)
# with each candidate's QoR measured by the same training, and print the design it picks
# against DNN-C: IoU, estimated FPS and power. The goal: IoU >= DNN-C's and FPS >= 1.5x.
#
#   bench/headline.sh [BUILD_DIR]
#
# Settings (environment): IMAGES (256) synthetic images, EPOCHS (4) float epochs (QAT:
# ceil(EPOCHS/4)), BUDGET (16) designs the search trains, TARGET_FPS (1.5 x DNN-C's FPS as
# this estimator predicts it, so the search aims at the goal it is judged by), THREADS (2),
# RESOLUTION (unset: full size; 0.5 trains at half resolution, the seed's fast-training
# option), WORK (a new temporary folder). The defaults are sized for
# under 2 hours on a 2-core machine; SMOKE=1 runs a few minutes' version (64 images, 1 epoch,
# budget 2, at half resolution) to check the script. Needs python3 for the JSON.
set -eu

BUILD=${1:-build}
CLI=$(cd "$BUILD" && pwd)/app/cli/codesign
SRC=$(cd "$(dirname "$0")/.." && pwd)
IMAGES=${IMAGES:-256}
EPOCHS=${EPOCHS:-4}
BUDGET=${BUDGET:-16}
TARGET_FPS=${TARGET_FPS:-}
THREADS=${THREADS:-2}
WORK=${WORK:-$(mktemp -d)}
EXTRA=""
if [ -n "${RESOLUTION:-}" ]; then
    EXTRA="--resolution $RESOLUTION"
fi
if [ "${SMOKE:-0}" = 1 ]; then
    IMAGES=64 EPOCHS=1 BUDGET=2 EXTRA="--resolution 0.5"
fi
TRAIN="--synthetic $IMAGES --epochs $EPOCHS --threads $THREADS $EXTRA"

[ -x "$CLI" ] || { echo "headline.sh: no $CLI; build the codesign target first" >&2; exit 2; }
mkdir -p "$WORK"
cp "$SRC"/examples/dac19-dnn-a.yaml "$SRC"/examples/dac19-dnn-b.yaml \
    "$SRC"/examples/dac19-dnn-c.yaml "$SRC"/examples/dac-sdc-explore.yaml "$WORK"/
cd "$WORK"
START=$(date +%s)

for n in a b c; do
    echo "training DNN-${n} ..." >&2
    # shellcheck disable=SC2086 # TRAIN is a list of options
    "$CLI" train "dac19-dnn-$n.yaml" $TRAIN --json >"train-$n.json"
    "$CLI" estimate "dac19-dnn-$n.yaml" --json >"estimate-$n.json"
done

if [ -z "$TARGET_FPS" ]; then
    # The goal is judged against DNN-C's estimated FPS, so the search aims at 1.5x of it.
    TARGET_FPS=$(python3 -c 'import json; print(round(1.5 * json.load(open("estimate-c.json"))["fps"], 2))')
fi
echo "headline: $TRAIN, budget $BUDGET, target $TARGET_FPS FPS, in $WORK" >&2
echo "co-design search ..." >&2
# shellcheck disable=SC2086
"$CLI" explore dac-sdc-explore.yaml --strategy scd --budget "$BUDGET" --seed 1 \
    --target-fps "$TARGET_FPS" --qor torch $TRAIN --out explore --force --json >explore.json || {
    status=$?
    # exit 3: no design met the constraints; the report says so.
    [ "$status" = 3 ] || exit "$status"
}

SECONDS_TAKEN=$(($(date +%s) - START))
python3 - "$SECONDS_TAKEN" <<'EOF'
import json, sys

seconds = int(sys.argv[1])
rows = []
for n in "abc":
    t = json.load(open(f"train-{n}.json"))
    e = json.load(open(f"estimate-{n}.json"))
    rows.append((f"DNN-{n.upper()}", t["iou"], e["fps"], e["power_w"]))
x = json.load(open("explore.json"))
best = x.get("best")
if best:
    config = ", ".join(f"{k} {v}" for k, v in best["config"].items() if k != "accelerator")
    rows.append(("co-design pick", best["qor"], best["fps"], best["power_w"]))
print(f"{'design':16} {'IoU %':>7} {'FPS':>7} {'power W':>8}")
for name, iou, fps, power in rows:
    print(f"{name:16} {100 * iou:7.1f} {fps:7.1f} {power:8.2f}")
c = rows[2]
if best:
    print(f"pick: {config}")
    iou_ok = best["qor"] >= c[1]
    fps_ok = best["fps"] >= 1.5 * c[2]
    print(f"against DNN-C: IoU {100 * (best['qor'] - c[1]):+.1f} points, FPS x{best['fps'] / c[2]:.2f}"
          f" -> goal {'met' if iou_ok and fps_ok else 'missed'}"
          f" (IoU {'ok' if iou_ok else 'below'}, FPS {'ok' if fps_ok else 'below 1.5x'})")
else:
    print("the search found no design that meets the constraints")
print(f"{x['evaluations']} designs trained by the search; {seconds} s in all")
EOF
