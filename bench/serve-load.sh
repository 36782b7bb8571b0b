#!/usr/bin/env bash
# Load benchmark of `lucid serve` (a benchmark, not a test): from a second process on loopback, JOBS concurrent jobs
# of a 12-megapixel image plus BAD malformed uploads. Reports completed / rejected (429) / failed, p50/p95 latency
# (submission to result), the server's peak RSS, that every accepted job ended, and what was left in the spool.
# Run from the repository root: bench/serve-load.sh   (JOBS=50 BAD=20 WORKERS=2 QUEUE=8 PORT=18181 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-50} BAD=${BAD:-20} WORKERS=${WORKERS:-2} QUEUE=${QUEUE:-8} PORT=${PORT:-18181}
work=$(mktemp -d); spool="$work/spool"; base="http://127.0.0.1:$PORT"
./lucid synth --test-card 4000x3000 --noise camera --seed 3 -o "$work/12mp.png" 2>/dev/null
# malformed uploads: text, empty, truncated PNG, a 100 000 x 100 000 header, bytes of the wrong kind
printf 'not an image' > "$work/bad0.png"; : > "$work/bad1.png"
head -c 5000 "$work/12mp.png" > "$work/bad2.png"
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01\x86\xa0\x00\x01\x86\xa0\x08\x02\x00\x00\x00\x9e\x3c\x44\x39' > "$work/bad3.png"
head -c 20000 /dev/urandom > "$work/bad4.png"
./lucid serve --port "$PORT" --workers "$WORKERS" --queue "$QUEUE" --spool "$spool" --keep-results 60 --job-timeout 3600 > "$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -sf "$base/healthz" >/dev/null 2>&1 && break; sleep 1; done
start=$(date +%s.%N)
for i in $(seq "$JOBS"); do
  curl -s -o "$work/job.$i.json" -w "%{http_code} %{time_total}\n" -F image=@"$work/12mp.png" "$base/v1/jobs" > "$work/code.job.$i" &
done
for i in $(seq "$BAD"); do
  curl -s -o "$work/bad.$i.json" -w "%{http_code} %{time_total}\n" -F image=@"$work/bad$((i % 5)).png" "$base/v1/jobs" > "$work/code.bad.$i" &
done
wait $(jobs -p | grep -v "^$server$") 2>/dev/null || true
python3 - "$work" "$base" "$JOBS" "$BAD" "$server" "$start" <<'PY'
import json, sys, time, urllib.request, os, glob, statistics
work, base, jobs, bad, server, start = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], float(sys.argv[6])
codes = {}
accepted = []
for i in range(1, jobs + 1):
    code = open(f"{work}/code.job.{i}").read().split()[0]
    codes[code] = codes.get(code, 0) + 1
    if code == "202": accepted.append(json.load(open(f"{work}/job.{i}.json"))["id"])
bad_codes = {}
for i in range(1, bad + 1):
    code = open(f"{work}/code.bad.{i}").read().split()[0]
    bad_codes[code] = bad_codes.get(code, 0) + 1
peak = 0
states, latencies = {}, []
pending = set(accepted)
while pending:
    for jid in list(pending):
        s = json.load(urllib.request.urlopen(f"{base}/v1/jobs/{jid}"))
        if s["state"] in ("done", "failed", "cancelled"):
            pending.discard(jid)
            states[s["state"]] = states.get(s["state"], 0) + 1
            if s["state"] == "done":
                urllib.request.urlopen(f"{base}/v1/jobs/{jid}/result").read()
                latencies.append(time.time() - start)
    for line in open(f"/proc/{server}/status"):
        if line.startswith("VmHWM"): peak = int(line.split()[1]) // 1024
    time.sleep(1)
left = sorted(os.path.basename(f) for f in glob.glob(f"{work}/spool/*"))
uploads_left = [f for f in left if f.endswith(".upload")]
print(f"jobs: {jobs} x 12 MP sent at once -> accepted {len(accepted)}, rejected 429: {codes.get('429', 0)}, other: {dict((k, v) for k, v in codes.items() if k not in ('202', '429'))}")
print(f"accepted jobs ended: {states} (lost: {len(accepted) - sum(states.values())})")
if latencies:
    q = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else latencies * 19
    print(f"latency submit -> result: p50 {statistics.median(latencies):.1f} s, p95 {q[18]:.1f} s over {len(latencies)} completed jobs")
print(f"malformed uploads: {bad} -> {bad_codes}")
print(f"server peak RSS: {peak} MB; spool after all results: {len(left)} files, of them uploads: {len(uploads_left)}")
PY
kill "$server"; wait "$server" 2>/dev/null || true
echo "spool after shutdown: $(ls "$spool" 2>/dev/null | wc -l) files"
rm -rf "$work"
