#!/usr/bin/env bash
# Install the named Debian packages when any is missing (apt-get as root, or through sudo).
# Another apt or dpkg (unattended upgrades, a second `make`) may hold the package manager's locks:
# this waits for them, up to APT_LOCK_TIMEOUT seconds (default 600), instead of failing at once.
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "These Debian packages are needed: ${missing[*]}. Install them as root (apt-get install ${missing[*]})." >&2
  exit 1
fi
timeout="${APT_LOCK_TIMEOUT:-600}"
case "$timeout" in
  ''|*[!0-9]*) echo "APT_LOCK_TIMEOUT must be a whole number of seconds; got '$timeout'." >&2; exit 1 ;;
esac
# sudo drops the environment: the variables go on the command line. LC_ALL=C keeps apt's messages
# in English, so that a busy lock is recognised below.
apt=($SUDO env DEBIAN_FRONTEND=noninteractive LC_ALL=C apt-get -o "DPkg::Lock::Timeout=${timeout}")

# apt-get waits for the dpkg lock itself (DPkg::Lock::Timeout) but not, in apt 2.6, for the lock of
# the package lists that `update` takes: that one is tried again every 5 s until the timeout.
waited=0
until output=$("${apt[@]}" update -q 2>&1); do
  if ! grep -q "Could not get lock" <<<"$output" || [ "$waited" -ge "$timeout" ]; then
    echo "$output" >&2
    exit 1
  fi
  [ "$waited" -eq 0 ] && echo "Another apt or dpkg is running: waiting up to ${timeout} s for it to finish…"
  sleep 5
  waited=$((waited + 5))
done
echo "$output" | tail -n 1
echo "(apt-get waits up to ${timeout} s for the dpkg lock if another package manager holds it)"
"${apt[@]}" install -y -q --no-install-recommends "${missing[@]}"
