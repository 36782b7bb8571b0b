#!/usr/bin/env bash
# lucid adapt measured (a benchmark, not a test): adapts lucid-real (default loss: noise bank) to the noisy images alone of the SIDD sample, the
# PolyU test scenes, the DND patches and RNI15 (600 steps each, one thread), then evaluates every adapter on the two
# sets with clean references, each on its own camera and on the others. Results: bench/adapt/RESULTS.md.
# Run from the repository root: bench/adapt.sh   (adapters go to a temporary LUCID_HOME)
set -euo pipefail
cd "$(dirname "$0")/.."
export LUCID_HOME=$(mktemp -d)
work=$(mktemp -d)
bench/polyu-test-pairs.sh "$work/polyu"
for set in "sidd ../shared/data/sidd_sample12/noisy" "polyu $work/polyu/noisy-only" "dnd ../shared/data/dnd_patches_noisy_only" "rni15 ../shared/data/rni15_real_noisy_only"; do
  /usr/bin/time -f "${set%% *}: %e s" ./lucid adapt ${set#* } --name "${set%% *}" --steps 600 --minutes 30 --threads 1 2>&1 | grep -v "^training"
done
models=noisy,lucid-real:pd_stride=1,lucid-real,lucid-real:pd_stride=2,lucid-real:adapter=sidd,lucid-real:adapter=polyu,lucid-real:adapter=dnd,lucid-real:adapter=rni15
./lucid eval --threads 1 --pairs ../shared/data/sidd_sample12/noisy ../shared/data/sidd_sample12/gt --model "$models"
./lucid eval --threads 1 --pairs "$work/polyu/noisy" "$work/polyu/clean" --model "$models"
./lucid models | sed -n '/^ADAPTERS/,$p'
