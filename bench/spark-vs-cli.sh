#!/usr/bin/env bash
# Throughput of lucid-spark on a local master against lucid denoise on the same folder, one after the other in one
# run (a benchmark, not a test). Run from the repository root: bench/spark-vs-cli.sh [N_IMAGES] [MASTER]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-40} MASTER=${2:-local[2]}
work=$(mktemp -d)
mkdir -p "$work/in"
for f in $(ls ../shared/data/cbsd68/*.png | head -n "$N"); do cp "$f" "$work/in/"; done
mp=$(python3 -c "import struct,glob
t=0
for f in glob.glob('$work/in/*.png'):
    b=open(f,'rb').read(24); w,h=struct.unpack('>II',b[16:24]); t+=w*h
print(t/1e6)")
t0=$(date +%s.%N)
./lucid denoise "$work/in" --out-dir "$work/cli" 2>/dev/null
t1=$(date +%s.%N)
./lucid-spark --input "$work/in" --output "$work/spark" --master "$MASTER" 2> "$work/spark.log"
t2=$(date +%s.%N)
start=$(grep -m1 "partition 1/" "$work/spark.log" | sed 's/.*, \([0-9]*\) s so far.*/\1/')
python3 - "$N" "$mp" "$t0" "$t1" "$t2" <<'PY'
import sys
n, mp, t0, t1, t2 = int(sys.argv[1]), float(sys.argv[2]), *map(float, sys.argv[3:])
cli, spark = t1 - t0, t2 - t1
print(f"{n} images, {mp:.2f} MP")
print(f"lucid denoise : {cli:6.1f} s wall, {n / cli:.3f} images/s, {mp / cli:.3f} MP/s")
print(f"lucid-spark   : {spark:6.1f} s wall, {n / spark:.3f} images/s, {mp / spark:.3f} MP/s")
PY
same=0; for f in "$work"/cli/*; do cmp -s "$f" "$work/spark/$(basename "$f")" && same=$((same + 1)); done
echo "outputs identical to lucid denoise: $same of $N"
grep "lucid-spark:" "$work/spark.log" | tail -2
rm -rf "$work"
