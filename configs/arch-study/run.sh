#!/usr/bin/env bash
# The architecture study of issue #5: every variant trains from scratch for the same wall-clock budget on
# this machine (nothing else running), then is scored on lucid-real's 8 held-out CBSD432 images at σ=25
# and timed on a 2048×2048 test card. Usage: configs/arch-study/run.sh [HOURS] [VARIANT...]
set -euo pipefail
cd "$(dirname "$0")/../.."
HOURS=${1:-0.2}
shift || true
VARIANTS=("${@:-nafunet-w16 resunet-16 resunet-16-5level resunet-32}")
LUCID=${LUCID:-./lucid}
OUT=runs/arch-study
mkdir -p "$OUT/holdout" "$OUT/speed"
# the trainer holds out the last 8 images by name (see data.clean[0].holdout in lucid-real.yaml)
for f in $(ls ../shared/data/cbsd432_train | LC_ALL=C sort | tail -8); do ln -sf "$(realpath ../shared/data/cbsd432_train/"$f")" "$OUT/holdout/$f"; done
[ -f "$OUT/speed/card.png" ] || $LUCID synth --test-card 2048x2048 --noise gaussian:0 -o "$OUT/speed/card.png"
for v in ${VARIANTS[@]}; do
  $LUCID train "configs/arch-study/$v.yaml" --run-dir "$OUT/$v" --hours "$HOURS"
  $LUCID eval --model "$OUT/$v/model" --data "$OUT/holdout" --noise gaussian:25 --json "$OUT/$v/holdout.json"
  $LUCID eval --model "$OUT/$v/model" --data "$OUT/speed" --noise gaussian:25 --json "$OUT/$v/speed.json"
done
