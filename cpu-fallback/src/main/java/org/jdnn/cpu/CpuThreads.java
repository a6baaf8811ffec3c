package org.jdnn.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * The one shared worker pool of the CPU backend. Work is split into at most {@link #threads()}
 * contiguous chunks whose boundaries depend only on the problem size and the thread count, so
 * results are deterministic for a given thread count. Nested calls run inline.
 *
 * <p>The count is {@code -Djdnn.cpu.threads=N} (or {@link #configure} before first use), by default
 * the number of available processors.
 */
public final class CpuThreads {
  private static volatile CpuThreads instance;
  private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);

  private final int threads;
  private final ExecutorService pool;

  private CpuThreads(int threads) {
    this.threads = threads;
    this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
      Thread t = new Thread(r, "jdnn-cpu");
      t.setDaemon(true);
      return t;
    });
  }

  /** Sets the thread count; only before the pool is first used. */
  public static synchronized void configure(int threads) {
    if (threads < 1) throw new IllegalArgumentException("CPU thread count must be >= 1; received " + threads);
    if (instance != null && instance.threads != threads) {
      throw new IllegalStateException("the CPU thread pool already runs with " + instance.threads + " threads");
    }
    if (instance == null) instance = new CpuThreads(threads);
  }

  public static CpuThreads get() {
    CpuThreads i = instance;
    if (i == null) {
      synchronized (CpuThreads.class) {
        if (instance == null) {
          int n = Integer.getInteger("jdnn.cpu.threads", Runtime.getRuntime().availableProcessors());
          instance = new CpuThreads(Math.max(1, n));
        }
        i = instance;
      }
    }
    return i;
  }

  public int threads() {
    return threads;
  }

  /**
   * Runs {@code body.accept(chunk)} for chunks {@code 0..chunks-1} where {@code chunks =
   * min(threads, n)}; chunk {@code c} covers {@code [n*c/chunks, n*(c+1)/chunks)} (see
   * {@link #from}). Returns the number of chunks.
   */
  public int forChunks(int n, IntConsumer body) {
    int chunks = Math.min(threads, n);
    if (chunks <= 0) return 0;
    if (chunks == 1 || INSIDE.get()) { // nested: same chunks, run inline
      for (int c = 0; c < chunks; c++) body.accept(c);
      return chunks;
    }
    List<Future<?>> futures = new ArrayList<>(chunks - 1);
    for (int c = 1; c < chunks; c++) {
      int chunk = c;
      futures.add(pool.submit(() -> {
        INSIDE.set(true);
        try {
          body.accept(chunk);
        } finally {
          INSIDE.set(false);
        }
      }));
    }
    INSIDE.set(true);
    Throwable failure = null;
    try {
      body.accept(0);
    } catch (Throwable t) {
      failure = t;
    } finally {
      INSIDE.set(false);
    }
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (failure == null) failure = e.getCause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        if (failure == null) failure = e;
      }
    }
    if (failure instanceof RuntimeException) throw (RuntimeException) failure;
    if (failure instanceof Error) throw (Error) failure;
    if (failure != null) throw new RuntimeException(failure);
    return chunks;
  }

  /** First index of chunk {@code c} of {@code chunks} over {@code n} items. */
  public static int from(int n, int chunks, int c) {
    return (int) ((long) n * c / chunks);
  }

  /** Runs {@code body} for every index in {@code [0, n)}, split in chunks over the pool. */
  public void forRange(int n, int grain, IntRangeBody body) {
    int chunks = Math.max(1, Math.min(threads, n / Math.max(1, grain)));
    if (chunks == 1) {
      if (n > 0) body.run(0, n);
      return;
    }
    int total = chunks;
    forChunks(total, c -> body.run(from(n, total, c), from(n, total, c + 1)));
  }

  /** A loop body over {@code [from, to)}. */
  @FunctionalInterface
  public interface IntRangeBody {
    void run(int from, int to);
  }
}
