package org.jdnn.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.jdnn.spi.Backend;
import org.jdnn.spi.Backends;
import org.jdnn.tensor.DType;
import org.jdnn.tensor.Generator;
import org.jdnn.tensor.Shape;
import org.jdnn.tensor.Tensor;
import org.jdnn.util.Check;

/**
 * Mini-batches of an {@link ImageDataset}. With shuffling, epoch {@code e} visits the images in a
 * permutation that depends only on {@code (seed, e)}, so a run is reproducible and a resumed run
 * sees the same order. The last, smaller batch is kept unless {@code dropLast}.
 */
public final class DataLoader {
  private final ImageDataset dataset;
  private final int batchSize;
  private final boolean shuffle;
  private final long seed;
  private final boolean dropLast;
  private Backend backend = Backends.cpu();

  public DataLoader(ImageDataset dataset, int batchSize, boolean shuffle, long seed, boolean dropLast) {
    Check.arg(batchSize > 0, "batch size must be positive; received %s", batchSize);
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.dropLast = dropLast;
  }

  /** Batches are created on {@code backend}; returns this. */
  public DataLoader to(Backend backend) {
    this.backend = backend;
    return this;
  }

  public ImageDataset dataset() {
    return dataset;
  }

  public int batchSize() {
    return batchSize;
  }

  /** Number of batches per epoch. */
  public int batches() {
    int n = dataset.size();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /** The visiting order of epoch {@code epoch}: Fisher-Yates from a generator seeded by (seed, epoch). */
  public int[] order(int epoch) {
    int n = dataset.size();
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    if (shuffle) {
      SplittableRandom r = new SplittableRandom(Generator.mix(seed * 31 + epoch));
      for (int i = n - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
      }
    }
    return idx;
  }

  /** The batches of one epoch. Each batch's tensors belong to the scope open when it is produced. */
  public Iterable<Batch> epoch(int epoch) {
    int[] order = order(epoch);
    return () -> new Iterator<Batch>() {
      private int next;
      private final int batches = batches();
      private final float[] x = new float[batchSize * (int) dataset.itemShape().numel()];
      private final long[] y = new long[batchSize];

      @Override
      public boolean hasNext() {
        return next < batches;
      }

      @Override
      public Batch next() {
        if (!hasNext()) throw new NoSuchElementException();
        int from = next * batchSize;
        int count = Math.min(batchSize, order.length - from);
        int[] idx = java.util.Arrays.copyOfRange(order, from, from + count);
        dataset.fill(idx, count, x, y);
        next++;
        int[] dims = new int[4];
        dims[0] = count;
        System.arraycopy(dataset.itemShape().toArray(), 0, dims, 1, 3);
        Tensor xt = Tensor.empty(Shape.of(dims), DType.F32, backend);
        backend.copyFromHost(x, 0, xt);
        Tensor yt = Tensor.empty(Shape.of(count), DType.I64, backend);
        backend.copyFromHost(y, 0, yt);
        return new Batch(xt, yt);
      }
    };
  }
}
