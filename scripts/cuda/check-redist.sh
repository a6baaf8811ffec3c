#!/usr/bin/env bash
# Evaluates the zero-install set-up on this machine, no GPU needed: puts
# org.bytedeco:cuda:12.6-9.5-1.5.11:linux-x86_64-redist (2 GB, fetched once into ~/.m2) on the
# class path of org.jdnn.cuda.RedistCheck, which loads the libraries through jdnn's loader (it
# extracts them to jdnn.cuda.cacheDir, ~1.4 GB) and then the JCublas2 and JCudnn JNI libraries.
set -euo pipefail
cd "$(dirname "$0")/../.."
coord=org.bytedeco:cuda:12.6-9.5-1.5.11:jar:linux-x86_64-redist
jar=~/.m2/repository/org/bytedeco/cuda/12.6-9.5-1.5.11/cuda-12.6-9.5-1.5.11-linux-x86_64-redist.jar
[ -f "$jar" ] || mvn -q dependency:get -Dartifact=$coord -Dtransitive=false
mvn -q -B -DskipTests -pl cuda-backend -am package dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
cp="cuda-backend/target/classes:cuda-backend/target/test-classes:$(cat cuda-backend/target/test-classpath.txt):$jar"
java -cp "$cp" org.jdnn.cuda.RedistCheck
