# Shared by the scripts in this folder: pick a JDK, install missing Debian packages.

# The build targets Java 21: use JAVA_HOME if it is 21 or newer, else the newest JDK 21+ on PATH or
# under /usr/lib/jvm. Says on stderr when it passes over the JAVA_HOME it was given.
select_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && jdk_at_least_21 "$JAVA_HOME"; then
    return 0
  fi
  local jdk candidates=()
  command -v javac >/dev/null && candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  for jdk in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -V -r); do
    candidates+=("${jdk%/}")
  done
  for jdk in "${candidates[@]}"; do
    if jdk_at_least_21 "$jdk"; then
      [ -n "${JAVA_HOME:-}" ] && echo "JAVA_HOME=$JAVA_HOME is not a JDK 21 or newer: using $jdk" >&2
      export JAVA_HOME="$jdk"
      return 0
    fi
  done
  echo "This build needs a JDK 21 or newer, and none was found in JAVA_HOME, on PATH or under /usr/lib/jvm." >&2
  echo "Install one (e.g. Temurin 21 or 25) and set JAVA_HOME to its folder." >&2
  return 1
}

jdk_at_least_21() {
  local version
  [ -x "$1/bin/javac" ] || return 1
  version=$("$1/bin/javac" -version 2>&1 | sed -E 's/^javac ([0-9]+).*/\1/')
  [ "$version" -ge 21 ] 2>/dev/null
}

# apt-get install only what is missing, so a warm machine pays nothing.
ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "Installing: ${missing[*]}" >&2
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The first TCP port from $1 upwards that nothing listens on (other services may share the machine).
free_port() {
  local port=$1
  while ss -ltnH "sport = :$port" | grep -q .; do
    port=$((port + 1))
  done
  echo "$port"
}
