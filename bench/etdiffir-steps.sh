#!/usr/bin/env bash
# ETDiffIR's sampling steps (issue: ETDiffIR): PSNR/SSIM per task for 1 / 2 / 5 / 10 posterior steps (the default is
# 1) on the first 8 CBSD68 images with their captions, and the seed's 100-step Euler-Maruyama sampler on the first 2.
# The task is read from each image (auto). Run from the repository root; tables on stdout, wall time per run on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data
few=etdiffir:sample_steps=1,etdiffir:sample_steps=2,etdiffir:sample_steps=5,etdiffir:sample_steps=10
for noise in gaussian:50 rain:0.01 haze:1.2; do
  time ./lucid eval --data "$data/cbsd68" --limit 8 --noise "$noise" --captions "$data/captions/cbsd68.tsv" --model "$few" --threads 1
  time ./lucid eval --data "$data/cbsd68" --limit 2 --noise "$noise" --captions "$data/captions/cbsd68.tsv" \
    --model etdiffir:sample_steps=1,etdiffir:sample_steps=100 --threads 1
done
