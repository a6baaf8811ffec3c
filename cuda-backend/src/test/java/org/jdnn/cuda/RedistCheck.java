package org.jdnn.cuda;

import jcuda.jcublas.JCublas2;
import jcuda.jcudnn.JCudnn;

/**
 * Checks, without a GPU, that the {@code org.bytedeco:cuda:...:linux-x86_64-redist} jar on the
 * class path is found and extracted by the loader, and that its libcublas.so.12 and libcudnn.so.9
 * satisfy the JCuda 12.6 JNI libraries: both JNI libraries load, and cuDNN answers its version
 * (a call that needs no device). Run by {@code scripts/cuda/check-redist.sh}; not part of the
 * build (the jar is 2 GB).
 */
public final class RedistCheck {
  private RedistCheck() {}

  public static void main(String[] args) {
    LoadReport r = NativeLibraries.ensureLoaded();
    System.out.print(r.describe());
    JCublas2.setExceptionsEnabled(false);
    System.out.println("JCublas2 JNI library: loaded (its " + CublasForwarder.jcublasImports().size()
        + " libcublas.so.12 imports bound)");
    JCudnn.setExceptionsEnabled(false);
    System.out.println("JCudnn JNI library: loaded; cudnnGetVersion() = " + JCudnn.cudnnGetVersion());
    descriptors();
    System.out.println("probe: " + new CudaBackendProvider().probe());
  }

  /**
   * cuDNN's own output shapes for the descriptors jdnn builds, against ConvGeometry and
   * PoolGeometry: descriptor calls run on the host, so real cuDNN checks the plans without a GPU.
   */
  static void descriptors() {
    int[][][] conv = { // x, w, stride, padding, dilation, {groups}
        {{2, 3, 13}, {4, 3, 3}, {1}, {0}, {1}, {1}}, {{1, 3, 13}, {5, 3, 5}, {2}, {2}, {1}, {1}},
        {{2, 2, 13}, {3, 2, 3}, {1}, {1}, {2}, {1}}, {{2, 4, 7}, {6, 2, 3}, {1}, {1}, {1}, {2}},
        {{3, 5, 13}, {5, 1, 3}, {2}, {1}, {1}, {5}}, {{2, 3, 7, 7}, {4, 3, 3, 3}, {1, 1}, {0, 0}, {1, 1}, {1}},
        {{2, 3, 13, 7}, {5, 3, 3, 3}, {2, 2}, {1, 1}, {1, 1}, {1}}, {{2, 3, 7, 13}, {4, 3, 3, 1}, {2, 1}, {1, 0}, {1, 1}, {1}},
        {{1, 2, 13, 13}, {3, 2, 3, 2}, {1, 2}, {1, 0}, {2, 3}, {1}}, {{1, 6, 13, 13}, {9, 2, 3, 3}, {2, 2}, {1, 1}, {1, 1}, {3}},
        {{2, 8, 13, 13}, {8, 1, 3, 3}, {1, 1}, {1, 1}, {1, 1}, {8}}, {{2, 4, 7, 7}, {8, 1, 3, 3}, {2, 2}, {1, 1}, {1, 1}, {4}},
        {{3, 1, 32, 32}, {6, 1, 5, 5}, {1, 1}, {0, 0}, {1, 1}, {1}}, {{3, 5, 1, 1}, {4, 5, 1, 1}, {1, 1}, {0, 0}, {1, 1}, {1}},
        {{2, 3, 13, 13}, {4, 3, 2, 2}, {3, 3}, {0, 0}, {1, 1}, {1}}, {{2, 2, 5, 6, 7}, {3, 2, 3, 3, 3}, {1, 1, 1}, {0, 0, 0}, {1, 1, 1}, {1}},
        {{1, 3, 7, 7, 7}, {4, 3, 3, 3, 3}, {2, 2, 2}, {1, 1, 1}, {1, 1, 1}, {1}},
        {{2, 2, 7, 7, 7}, {2, 2, 3, 3, 3}, {1, 1, 1}, {2, 2, 2}, {2, 2, 2}, {1}},
        {{2, 4, 5, 5, 5}, {6, 2, 3, 3, 3}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {2}},
        {{2, 3, 3, 9, 9}, {4, 3, 1, 3, 3}, {1, 2, 2}, {0, 1, 1}, {1, 1, 1}, {1}}};
    int ok = 0;
    for (int[][] c : conv) {
      org.jdnn.spi.ConvGeometry g = org.jdnn.spi.ConvGeometry.of(org.jdnn.tensor.Shape.of(c[0]),
          org.jdnn.tensor.Shape.of(c[1]), c[2], c[3], c[4], c[5][0]);
      ConvPlan p = ConvPlan.of(g);
      for (boolean f64 : new boolean[] {false, true}) {
        int[] got = org.jdnn.cuda.jni.CudaDevice.convOutputDims(p, f64);
        if (!java.util.Arrays.equals(got, p.yDims())) {
          throw new AssertionError("cuDNN computes " + java.util.Arrays.toString(got) + " for " + g + "; jdnn "
              + java.util.Arrays.toString(p.yDims()));
        }
        ok++;
      }
    }
    int pools = 0;
    int[][][] pool = { // x, kernel, stride, padding
        {{2, 3, 13, 13}, {2, 2}, {2, 2}, {0, 0}}, {{2, 3, 13, 13}, {3, 3}, {2, 2}, {1, 1}}, {{1, 2, 7, 7}, {3, 3}, {1, 1}, {1, 1}},
        {{2, 2, 7, 9}, {3, 2}, {2, 1}, {1, 1}}, {{3, 4, 7, 5}, {7, 5}, {1, 1}, {0, 0}}, {{2, 3, 13}, {3}, {2}, {1}},
        {{2, 2, 5, 6, 7}, {2, 2, 2}, {2, 2, 2}, {0, 0, 0}}, {{2, 2, 5, 6, 7}, {3, 3, 3}, {2, 2, 2}, {1, 1, 1}}};
    for (int[][] c : pool) {
      for (org.jdnn.spi.PoolGeometry.Mode m : org.jdnn.spi.PoolGeometry.Mode.values()) {
        int[] ones = new int[c[1].length];
        java.util.Arrays.fill(ones, 1);
        org.jdnn.spi.PoolGeometry g = org.jdnn.spi.PoolGeometry.of(m, org.jdnn.tensor.Shape.of(c[0]), c[1], c[2], c[3],
            ones, false);
        PoolPlan p = PoolPlan.of(g);
        if (!p.cudnnForward()) throw new AssertionError("expected cuDNN to compute " + g);
        int[] got = org.jdnn.cuda.jni.CudaDevice.poolOutputDims(p, false);
        if (!java.util.Arrays.equals(got, p.yDims())) {
          throw new AssertionError("cuDNN computes " + java.util.Arrays.toString(got) + " for " + g + "; jdnn "
              + java.util.Arrays.toString(p.yDims()));
        }
        pools++;
      }
    }
    System.out.println("cuDNN accepted " + ok + " convolution descriptor sets (F32 and F64) and " + pools
        + " pooling descriptors built by ConvPlan/PoolPlan, and computed the same output shapes as jdnn");
    normalization();
  }

  /**
   * Batch norm and LRN: cuDNN derives from each BatchNormPlan's data descriptor the per-channel
   * descriptor the plan expects ((1, C, 1, 1), the data's type), and stores each LrnPlan's
   * descriptor values unchanged (no range error, alpha not rescaled).
   */
  static void normalization() {
    int[][] shapes = {{4, 3}, {2, 5}, {3, 4, 13}, {2, 3, 5, 7}, {8, 16, 17, 19}, {2, 2, 3, 4, 5}, {1, 64, 56, 56}};
    int bn = 0;
    for (int[] s : shapes) {
      BatchNormPlan p = BatchNormPlan.of("batchNorm", org.jdnn.tensor.Shape.of(s), 1e-5, true);
      for (boolean f64 : new boolean[] {false, true}) {
        int[] got = org.jdnn.cuda.jni.CudaDevice.batchNormParamDims(p, f64);
        if (!java.util.Arrays.equals(got, p.paramDims())) {
          throw new AssertionError("cuDNN derives " + java.util.Arrays.toString(got) + " for " + p + "; jdnn expects "
              + java.util.Arrays.toString(p.paramDims()));
        }
        bn++;
      }
    }
    int lrn = 0;
    for (int size : new int[] {1, 3, 5, 7, 9, 15}) {
      for (double[] abk : new double[][] {{1e-4, 0.75, 2}, {2, 0.75, 1}, {0.5, 1.5, 1e-5}, {1, 0.01, 0.5}}) {
        LrnPlan p = LrnPlan.of("lrn", org.jdnn.tensor.Shape.of(2, 16, 5, 5), size, abk[0], abk[1], abk[2], true);
        if (!p.cudnn()) throw new AssertionError("expected cuDNN to compute " + p);
        double[] got = org.jdnn.cuda.jni.CudaDevice.lrnDescriptorValues(p);
        double[] want = {size, abk[0], abk[1], abk[2]};
        if (!java.util.Arrays.equals(got, want)) {
          throw new AssertionError("cuDNN stores the LRN descriptor as " + java.util.Arrays.toString(got) + "; jdnn set "
              + java.util.Arrays.toString(want));
        }
        lrn++;
      }
    }
    // The ranges LrnPlan keeps away from cuDNN are the ones cuDNN rejects.
    int rejected = 0;
    for (double[] c : new double[][] {{17, 1, 0.75, 1}, {0, 1, 0.75, 1}, {5, 1, 0.75, 1e-6}, {5, 1, 0.005, 1}}) {
      LrnPlan planned = LrnPlan.of("lrn", org.jdnn.tensor.Shape.of(2, 16, 5, 5), Math.max(1, (int) c[0]), c[1], c[2],
          c[3], true);
      if (c[0] >= 1 && planned.cudnn()) throw new AssertionError("LrnPlan gives cuDNN " + planned);
      LrnPlan forced = new LrnPlan(true, null, 2, 16, 25, new int[] {2, 16, 25, 1}, (int) c[0], c[1], c[2], c[3]);
      try {
        org.jdnn.cuda.jni.CudaDevice.lrnDescriptorValues(forced);
        throw new AssertionError("cuDNN accepted an LRN descriptor outside its documented range: " + forced);
      } catch (org.jdnn.cuda.jni.CudaException e) {
        if (!e.getMessage().contains("CUDNN_STATUS_BAD_PARAM")) throw e;
        rejected++;
      }
    }
    System.out.println("cuDNN derived the per-channel descriptors of " + bn + " BatchNormPlans (F32 and F64) as "
        + "(1, C, 1, 1), stored " + lrn + " LrnPlan descriptors unchanged, and rejected the " + rejected
        + " LRN settings (n 17, n 0, k 1e-6, beta 0.005) that LrnPlan sends to jdnn's kernels");
  }
}
