#!/usr/bin/env bash
# Packs the CUDA GPU suite and benchmark for the GPU machine (no Java, no Maven, no network
# there) into .gpu/ with ../shared/gpu/prepare.sh, and prints the command to run there.
#   scripts/gpu/run-suite.sh          # on this (CPU) machine, from anywhere in the repository
# Then, on the GPU machine, with .gpu travelling along (carry [".gpu"]):
#   bash scripts/gpu/on-gpu.sh "$OUT"
# What travels must stay under 64 MiB: a jlink'd JRE (~35 MiB) and the jars, with the JCuda JNI
# libraries jdnn never loads (the 24 MB PTX compiler, NVRTC, legacy cuBLAS) removed from them.
set -euo pipefail
root=$(git rev-parse --show-toplevel)
cd "$root"
stage=$root/cuda-backend/target/gpu-lib
rm -rf "$stage"
mkdir -p "$stage"
mvn -q -B -DskipTests -pl cuda-backend -am package dependency:copy-dependencies \
  -DincludeScope=test -DoutputDirectory="$stage" -Dmdep.useRepositoryLayout=false
cp cuda-backend/target/jdnn-cuda-backend-*.jar "$stage"/
# Jars only the CPU build or Maven needs.
rm -f "$stage"/*-sources.jar
python3 - "$stage" <<'PY'
import sys, zipfile, pathlib, os
stage = pathlib.Path(sys.argv[1])
drop = ("lib/libJNvPTXCompiler-", "lib/libJNvrtc-", "lib/libJCublas-")
for jar in stage.glob("jc*-natives-*.jar"):
    tmp = jar.with_suffix(".tmp")
    with zipfile.ZipFile(jar) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if not item.filename.startswith(drop):
                dst.writestr(item, src.read(item.filename))
    os.replace(tmp, jar)
PY
rm -rf .gpu/lib .gpu/native
if [ -d .git ]; then
  ../shared/gpu/prepare.sh "$stage"
else
  # A git worktree: .git is a file, and prepare.sh's `>> .git/info/exclude` fails (it could use
  # `git rev-parse --git-path info/exclude`). .gpu/ is in .gitignore already; the same steps:
  mkdir -p .gpu/lib
  [ -x .gpu/jre/bin/java ] || jlink --add-modules java.base,java.logging,java.management,jdk.unsupported,java.xml \
    --strip-debug --no-header-files --no-man-pages --compress=2 --output .gpu/jre
  cp -r "$stage"/. .gpu/lib/
  du -sh .gpu | awk '{print "packed .gpu: " $1}'
fi
# The cuBLAS forwarding library, built here so the GPU machine needs no C compiler; used only
# where libcublas.so.13 is installed without libcublas.so.12.
mkdir -p .gpu/native
.gpu/jre/bin/java -cp ".gpu/lib/*" org.jdnn.cuda.CublasForwarder .gpu/native cc
echo "jars: $(ls .gpu/lib | wc -l), $(du -sh .gpu/lib | cut -f1); forwarder: $(du -h .gpu/native/libcublas.so.12 | cut -f1)"
tracked=$(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
gpu=$(du -sb .gpu | cut -f1)
echo "travelling: tracked files $((tracked / 1048576)) MiB + .gpu $((gpu / 1048576)) MiB = $(((tracked + gpu) / 1048576)) MiB (limit 64)"
if [ $((tracked + gpu)) -ge $((64 * 1048576)) ]; then echo "too large for the GPU machine" >&2; exit 1; fi
cat <<'CMD'

Run on the GPU machine (device tool: carry [".gpu"], timeout 600 s):
  bash scripts/gpu/on-gpu.sh "$OUT"
CMD
