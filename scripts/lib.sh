# Shared by the scripts in this folder: pick a JDK, install missing Debian packages.

# The build targets Java 21: use JAVA_HOME if it is 21 or newer, else the newest JDK installed.
select_jdk() {
  local version
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    version=$("$JAVA_HOME/bin/javac" -version 2>&1 | sed -E 's/^javac ([0-9]+).*/\1/')
    [ "$version" -ge 21 ] 2>/dev/null && return 0
  fi
  local jdk
  for jdk in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -V -r); do
    [ -x "$jdk/bin/javac" ] || continue
    version=$("$jdk/bin/javac" -version 2>&1 | sed -E 's/^javac ([0-9]+).*/\1/')
    if [ "$version" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="${jdk%/}"
      return 0
    fi
  done
  echo "No JDK 21 or newer found (set JAVA_HOME)." >&2
  return 1
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
