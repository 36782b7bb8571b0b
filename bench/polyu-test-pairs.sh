#!/usr/bin/env bash
# Lays out the PolyU test scenes (configs/splits/polyu.yaml) under DIR as symbolic links: DIR/noisy-only/ (the noisy
# photos alone) and DIR/noisy/, DIR/clean/ (pairs of equal names), for lucid eval --pairs and lucid adapt.
# Usage, from the repository root: bench/polyu-test-pairs.sh DIR
set -euo pipefail
out=$1
mkdir -p "$out/noisy-only" "$out/noisy" "$out/clean"
for scene in $(sed -n 's/^  - "\(.*\)"$/\1/p' configs/splits/polyu.yaml); do
  for f in ../shared/data/polyu_real100/*_"${scene}"_*real.JPG ../shared/data/polyu_real100/*_"${scene}"_real.JPG; do
    [ -f "$f" ] || continue
    base=$(basename "$f" _real.JPG)
    ln -sf "$(realpath "$f")" "$out/noisy-only/"
    ln -sf "$(realpath "$f")" "$out/noisy/$base.JPG"
    ln -sf "$(realpath "${f%_real.JPG}_mean.JPG")" "$out/clean/$base.JPG"
  done
done
