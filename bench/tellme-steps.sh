#!/usr/bin/env bash
# Tell-Me's sampling steps (issue: Tell-Me): raw PSNR and time per image for 1 / 2 / 5 / 10 / 50 DDIM steps from the
# measurement at step 800 (the default is 1), on the first 8 CBSD68 images at shot 0.18 with their captions, and the
# seed's full 1000-step ancestral chain from noise on the first 2. Run from the repository root; tables on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data
steps=tellme-raw:sample_steps=1,tellme-raw:sample_steps=2,tellme-raw:sample_steps=5,tellme-raw:sample_steps=10,tellme-raw:sample_steps=50
time ./lucid eval --data "$data/cbsd68" --limit 8 --noise raw-lowlight:0.18 --captions "$data/captions/cbsd68.tsv" --model "$steps"
time ./lucid eval --data "$data/cbsd68" --limit 2 --noise raw-lowlight:0.18 --captions "$data/captions/cbsd68.tsv" \
  --model tellme-raw:sample_steps=1,tellme-raw:sample_steps=1000
