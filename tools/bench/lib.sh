# Shared by the side-by-side benchmarks (sourced, not run). Expects $dir, $runs
# and $results (a file) to be set by the caller.

# measure NAME COMMAND...: runs COMMAND $runs times, appends "NAME median_wall_s median_peak_MiB".
measure() {
  local name=$1; shift
  local walls=() rss=()
  for _ in $(seq 1 "$runs"); do
    /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" >/dev/null 2>"$dir/$name.err" || {
      cat "$dir/$name.err" >&2; echo "$name failed" >&2; exit 1; }
    read -r wall kb <"$dir/time.txt"; walls+=("$wall"); rss+=("$kb")
  done
  local mid=$(( (runs + 1) / 2 ))
  echo "$name $(printf '%s\n' "${walls[@]}" | sort -g | sed -n "${mid}p") $(( $(printf '%s\n' "${rss[@]}" | sort -g | sed -n "${mid}p") / 1024 ))" >>"$results"
}

# print_results TITLE: the table of $results with each tool's time against prospect's.
print_results() {
  awk -v title="$1" '{ w[$1]=$2; r[$1]=$3; o[NR]=$1 } END {
    printf "%s, median wall seconds and peak RSS\n%-26s %8s %9s %12s\n", title, "tool", "wall s", "peak MiB", "vs prospect"
    for (i = 1; i <= NR; i++) printf "%-26s %8.2f %9d %11.2fx\n", o[i], w[o[i]], r[o[i]], w[o[i]] / w["prospect"] }' "$results"
}
