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
