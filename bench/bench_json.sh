# Sourced by the bench scripts: one way to write a result file.
# write_bench_json FILE HEADER_LINES ROW... -- FILE gets {HEADER_LINES "machine", "date",
# "runs": [ROW, ...]}; HEADER_LINES are '"key": value,' lines (each ending with a comma).
write_bench_json() {
  local file=$1 header=$2
  shift 2
  local rows=("$@")
  mkdir -p "$(dirname "$file")"
  {
    echo "{"
    [ -n "$header" ] && printf '%s\n' "$header" | sed 's/^/  /'
    echo "  \"machine\": \"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores\","
    echo "  \"date\": \"$(date -u +%Y-%m-%dT%H:%MZ)\","
    echo "  \"runs\": ["
    local i sep
    for i in "${!rows[@]}"; do
      sep=","; [ "$i" -eq $((${#rows[@]} - 1)) ] && sep=""
      echo "    ${rows[$i]}$sep"
    done
    echo "  ]"
    echo "}"
  } > "$file"
}

# png_size FILE -- prints "WIDTH HEIGHT" of a PNG (from its IHDR).
png_size() {
  python3 -c "
import struct,sys
d=open(sys.argv[1],'rb').read(24); print(*struct.unpack('>II', d[16:24]))" "$1"
}

# time_run FILE COMMAND... -- runs COMMAND (its output to FILE.log) and writes "SECONDS PEAK_RSS_KB"
# to FILE: with GNU time where the machine has it, else with Python's resource module (a GPU
# server's image may lack /usr/bin/time). Returns COMMAND's exit status.
time_run() {
  local file=$1
  shift
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%e %M" -o "$file" "$@" >"$file.log" 2>&1
  else
    python3 - "$file" "$@" >"$file.log" 2>&1 <<'PY'
import resource, subprocess, sys, time
t0 = time.monotonic()
rc = subprocess.call(sys.argv[2:])
secs = time.monotonic() - t0
open(sys.argv[1], "w").write(f"{secs:.2f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\n")
sys.exit(rc)
PY
  fi
}

# job_seconds LOG -- the "in X s" of `fieldscope upscale`'s closing line (the work after the model
# is loaded), or null.
job_seconds() {
  local s
  s=$(grep -o ' in [0-9.]* s' "$1" 2>/dev/null | tail -1 | awk '{print $2}')
  echo "${s:-null}"
}

# json_field KEY FILE -- the first number after "KEY": in a JSON file (the viewer's --bench-out).
json_field() { sed -n "s/.*\"$1\": \([0-9.e+-]*\).*/\1/p" "$2" | head -1; }

# median -- the median of the numbers on stdin, one a line.
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
