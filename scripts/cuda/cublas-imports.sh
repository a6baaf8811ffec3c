#!/usr/bin/env bash
# Regenerates cuda-backend/src/main/resources/org/jdnn/cuda/cublas12-imports.txt: every function
# the JCublas JNI libraries (jcublas-natives, linux-x86_64) import from libcublas.so.12, i.e. what
# the forwarding libcublas.so.12 must define. Run after changing jcuda.version.
# Needs: mvn (to fetch the jar), unzip, readelf (binutils).
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(sed -n 's:.*<jcuda.version>\(.*\)</jcuda.version>.*:\1:p' cuda-backend/pom.xml)
jar=~/.m2/repository/org/jcuda/jcublas-natives/$version/jcublas-natives-$version-linux-x86_64.jar
[ -f "$jar" ] || mvn -q dependency:get -Dartifact=org.jcuda:jcublas-natives:$version:jar:linux-x86_64 -Dtransitive=false
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unzip -q "$jar" 'lib/*.so' -d "$tmp"
out=cuda-backend/src/main/resources/org/jdnn/cuda/cublas12-imports.txt
{
  echo "# Functions imported as NAME@libcublas.so.12 by jcublas-natives $version (linux-x86_64),"
  echo "# from: readelf --dyn-syms -W lib/libJCublas*.so. Regenerate with scripts/cuda/cublas-imports.sh."
  for f in "$tmp"/lib/*.so; do
    readelf --dyn-syms -W "$f" | awk '$7 == "UND" {print $8}' | grep '@libcublas\.so\.12' | sed 's/@.*//'
  done | sort -u
} > "$out"
echo "wrote $out: $(grep -vc '^#' "$out") symbols"
