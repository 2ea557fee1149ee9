# Sourced by the project's scripts: picks a JDK >= 25 (JAVA_HOME, else /usr/lib/jvm/*) and exports JAVA_HOME.
# The JDK's release file answers without starting a JVM (that costs a short verify run a fifth of
# its time), read with bash builtins only: every process this script starts delays ./xcfi.
xcfi_java_ok() {
  [ -x "$1/bin/java" ] || return 1
  if [ -f "$1/release" ]; then
    local line
    while IFS= read -r line; do
      case $line in JAVA_VERSION=*) [[ $line =~ ^JAVA_VERSION=\"(2[5-9]|[3-9][0-9])[\".] ]]; return ;; esac
    done < "$1/release"
    return 1
  fi
  "$1/bin/java" -version 2>&1 | head -1 | grep -Eq '"(2[5-9]|[3-9][0-9])[".]'
}
if [ -z "${JAVA_HOME:-}" ] || ! xcfi_java_ok "$JAVA_HOME"; then
  JAVA_HOME=""
  # the last acceptable one in name order, as the newest: looked for from the end
  jdks=(/usr/lib/jvm/*)
  for ((i = ${#jdks[@]} - 1; i >= 0; i--)); do
    if xcfi_java_ok "${jdks[i]}"; then JAVA_HOME="${jdks[i]}"; break; fi
  done
fi
if [ -z "$JAVA_HOME" ]; then
  echo "xcfi: no JDK 25 or newer found (set JAVA_HOME or install one under /usr/lib/jvm)" >&2
  exit 2
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# Maven 3.8's Guava warns about sun.misc.Unsafe on JDK 25; that is Maven's, not ours.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
