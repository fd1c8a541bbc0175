# Sourced by the bin/ scripts: sets JAVA_HOME to a JDK 21 or newer, or explains what is missing.
# Looks at JAVA_HOME, the java on PATH, then the usual JVM folders (newest first).
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}
find_java_home() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  local d
  for d in $(ls -d /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* 2>/dev/null | sort -rV); do
    candidates+=("$d")
  done
  for d in "${candidates[@]}"; do
    if [ -x "$d/bin/java" ] && [ -x "$d/bin/javac" ]; then
      local major
      major=$(java_major "$d")
      if [ -n "$major" ] && [ "$major" -ge 21 ]; then
        echo "$d"
        return 0
      fi
    fi
  done
  return 1
}
if ! JAVA_HOME=$(find_java_home); then
  echo "im-server needs a JDK 21 or newer (JDK 25 recommended) and found none:" >&2
  echo "  looked at JAVA_HOME, the java on PATH and /usr/lib/jvm, /usr/local/lib/jvm, /opt." >&2
  echo "  Install one (e.g. apt-get install temurin-25-jdk) or set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME
