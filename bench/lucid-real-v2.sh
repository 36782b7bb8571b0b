#!/usr/bin/env bash
# The default model v2's measurements besides the bench suite (bench/lucid-real-v2.yaml): the strength sweep on
# PolyU-test and the SIDD sample, the non-blind run on CBSD68 sigma=25 (--noise-level 25, the noise_level setting),
# and the crop strip of SIDD sample 00 at strengths 0.5 / 1 / 1.5 / 2 beside the clean image. Output: the tables on
# stdout (copied into models/lucid-real/README.md) and bench/lucid-real-v2/*.png. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
bench/polyu-test-pairs.sh "$work/polyu"
mkdir -p bench/lucid-real-v2
sweep=lucid-real:strength=0.5,lucid-real:strength=0.75,lucid-real,lucid-real:strength=1.25,lucid-real:strength=1.5,lucid-real:strength=2
./lucid eval --pairs "$work/polyu/noisy" "$work/polyu/clean" --model "$sweep"
./lucid eval --pairs ../shared/data/sidd_sample12/noisy ../shared/data/sidd_sample12/gt --model "$sweep"
./lucid eval --data ../shared/data/cbsd68 --noise gaussian:25 --model lucid-real,lucid-real:noise_level=25
./lucid eval --pairs ../shared/data/sidd_sample12/noisy ../shared/data/sidd_sample12/gt --limit 1 --crop-size 128 \
  --model lucid-real:strength=0.5,lucid-real,lucid-real:strength=1.5,lucid-real:strength=2 --crops bench/lucid-real-v2/sidd-00-strengths.png
