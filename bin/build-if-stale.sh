# Sourced by bin/im-server and bin/im-bench: builds the reactor (tests skipped) when the given jar is missing or
# older than any module's sources or POM.
build_if_stale() {
  local jar="$1" what="$2"
  if [ ! -f "$jar" ] || [ -n "$(find "$root/pom.xml" "$root"/im-*/pom.xml "$root"/im-*/src/main -newer "$jar" -print -quit)" ]; then
    echo "building $what (first run, or sources changed)..." >&2
    (cd "$root" && ./mvnw -B -q -DskipTests package) >&2
  fi
}
