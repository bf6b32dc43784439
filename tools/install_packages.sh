#!/usr/bin/env bash
# Installs the Debian packages given that are not installed yet: quiet,
# idempotent, as root or through sudo. Shared by setup.sh and the checks.
#
#   tools/install_packages.sh TAG PACKAGE...     (TAG prefixes the messages)
set -euo pipefail
tag=${1:?usage: tools/install_packages.sh TAG PACKAGE...}
shift
missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
((${#missing[@]})) || exit 0
echo "$tag: installing ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { "${sudo_cmd[@]}" apt-get update -qq &&
       "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "$tag: apt-get failed (log above)" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
