/**
 * The only package of jdnn that touches JCuda (STYLE.md point 13): the CUDA runtime and driver,
 * cuBLAS and cuDNN calls, each status checked and turned into a {@link org.jdnn.cuda.jni.CudaException}
 * naming the call. Everything here receives arguments that {@code org.jdnn.cuda} has already
 * planned and validated in Java (descriptor dimensions, offsets inside allocations, dtypes).
 */
package org.jdnn.cuda.jni;
