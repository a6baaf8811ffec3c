package org.jdnn.cpu;

import java.util.concurrent.atomic.AtomicInteger;
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
  /** How long an idle worker keeps spinning for the next job before it parks. */
  private static final long SPIN_NANOS = 200_000;

  private final int threads;
  /** The job being run; workers spin (then park) until it changes. */
  private volatile Job job;
  /** Workers parked on {@link #lock}: the caller only takes the lock to wake them when some are. */
  private final AtomicInteger parked = new AtomicInteger();
  private final Object lock = new Object();

  /**
   * One call of {@link #forChunks}. Chunks are claimed from a counter by whichever thread is
   * running (the caller included), so a worker the OS has descheduled (another process on the
   * cores) delays only the chunk it already holds. Which thread runs a chunk does not change its
   * result: chunk boundaries depend on the problem and the thread count only.
   */
  private static final class Job {
    final IntConsumer body;
    final int chunks;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger remaining;
    final Throwable[] failures;

    Job(IntConsumer body, int chunks) {
      this.body = body;
      this.chunks = chunks;
      this.remaining = new AtomicInteger(chunks);
      this.failures = new Throwable[chunks];
    }

    /** Runs chunks until none is left to claim. */
    void help() {
      for (int c; (c = next.getAndIncrement()) < chunks; ) {
        try {
          body.accept(c);
        } catch (Throwable t) {
          failures[c] = t;
        }
        remaining.decrementAndGet();
      }
    }
  }

  private CpuThreads(int threads) {
    this.threads = threads;
    // Dedicated workers that spin briefly between jobs: a step of a small network is dozens of
    // parallel ops a few tens of microseconds long, and waking a parked thread from an executor's
    // queue took about as long as the work itself (2 threads ran LeNet-5 no faster than 1).
    for (int w = 1; w < threads; w++) {
      Thread t = new Thread(this::work, "jdnn-cpu-" + w);
      t.setDaemon(true);
      t.start();
    }
  }

  private void work() {
    INSIDE.set(true);
    Job last = null;
    while (true) {
      Job j = job;
      if (j == last) {
        long since = System.nanoTime();
        int spins = 0;
        while ((j = job) == last) {
          Thread.onSpinWait();
          if ((++spins & 255) == 0 && System.nanoTime() - since > SPIN_NANOS) {
            synchronized (lock) {
              parked.incrementAndGet();
              try {
                while ((j = job) == last) lock.wait();
              } catch (InterruptedException e) {
                // daemon worker: keep serving
              } finally {
                parked.decrementAndGet();
              }
            }
            break;
          }
        }
      }
      last = j;
      j.help();
    }
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
   * {@link #from}). The calling thread and the workers claim chunks until none is left.
   * Returns the number of chunks.
   */
  public int forChunks(int n, IntConsumer body) {
    int chunks = Math.min(threads, n);
    if (chunks <= 0) return 0;
    if (chunks == 1 || INSIDE.get()) { // nested: same chunks, run inline
      for (int c = 0; c < chunks; c++) body.accept(c);
      return chunks;
    }
    Job j;
    synchronized (this) { // one job at a time: callers from several threads queue here
      j = new Job(body, chunks);
      job = j;
      if (parked.get() > 0) {
        synchronized (lock) {
          lock.notifyAll();
        }
      }
      INSIDE.set(true);
      try {
        j.help();
      } finally {
        INSIDE.set(false);
      }
      int spins = 0;
      while (j.remaining.get() > 0) { // chunks other threads claimed and still run
        Thread.onSpinWait();
        if ((++spins & 255) == 0) Thread.yield(); // their thread may be waiting for this core
      }
    }
    for (Throwable failure : j.failures) {
      if (failure instanceof RuntimeException) throw (RuntimeException) failure;
      if (failure instanceof Error) throw (Error) failure;
      if (failure != null) throw new RuntimeException(failure);
    }
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
