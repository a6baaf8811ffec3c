package org.jdnn.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A caching allocator over device memory, in the manner of PyTorch's: a freed block goes back to a
 * pool of its size class instead of to the driver, and the next request of that class reuses it.
 * Small requests (up to 1 MiB) round up to multiples of 512 bytes, large ones to multiples of
 * 2 MiB. When the device is out of memory, every cached block is returned to the driver and the
 * request is tried once more; if it still fails, the exception names the request and the stats.
 * Thread-safe.
 */
public final class DeviceAllocator {
  /** The device memory underneath: cuMemAlloc/cuMemFree on a GPU, a fake in tests. */
  public interface DeviceMemory {
    /** A block of at least {@code bytes}, or null when the device is out of memory. */
    Block malloc(long bytes);

    void free(Block block);
  }

  /** A device allocation: its address, size, and the binding's handle for it. */
  public static final class Block {
    public final long address;
    public final long bytes;
    public final Object handle;

    public Block(long address, long bytes, Object handle) {
      this.address = address;
      this.bytes = bytes;
      this.handle = handle;
    }
  }

  /** Counters, as {@code torch.cuda.memory_stats} reports them. */
  public record Stats(long allocatedBytes, long reservedBytes, long peakAllocatedBytes, long peakReservedBytes,
      long allocations, long cacheHits, long deviceMallocs, long deviceFrees, long cacheFlushes) {
    @Override
    public String toString() {
      return String.format("allocated %s (peak %s), reserved %s (peak %s); %d allocations, %d from the cache, "
          + "%d cuMemAlloc, %d cuMemFree, %d cache flushes", mib(allocatedBytes), mib(peakAllocatedBytes),
          mib(reservedBytes), mib(peakReservedBytes), allocations, cacheHits, deviceMallocs, deviceFrees, cacheFlushes);
    }

    private static String mib(long b) {
      return String.format("%.1f MiB", b / 1048576.0);
    }
  }

  static final long SMALL_LIMIT = 1L << 20;
  static final long SMALL_GRANULE = 512;
  static final long LARGE_GRANULE = 2L << 20;

  private final DeviceMemory memory;
  private final String device;
  private final Map<Long, ArrayDeque<Block>> pools = new HashMap<>();
  private long allocated;
  private long reserved;
  private long peakAllocated;
  private long peakReserved;
  private long allocations;
  private long cacheHits;
  private long mallocs;
  private long frees;
  private long flushes;

  public DeviceAllocator(DeviceMemory memory, String device) {
    this.memory = memory;
    this.device = device;
  }

  /** The size class of a request: what is actually reserved for it. */
  public static long roundUp(long bytes) {
    if (bytes <= 0) return SMALL_GRANULE;
    long g = bytes <= SMALL_LIMIT ? SMALL_GRANULE : LARGE_GRANULE;
    return Math.addExact(bytes, g - 1) / g * g;
  }

  /** A block of at least {@code bytes}; from the pool when one of its class is free. */
  public synchronized Block allocate(long bytes) {
    if (bytes < 0) throw new IllegalArgumentException("cannot allocate " + bytes + " bytes on " + device);
    long size = roundUp(bytes);
    allocations++;
    ArrayDeque<Block> pool = pools.get(size);
    Block b = pool == null ? null : pool.poll();
    if (b != null) {
      cacheHits++;
    } else {
      b = memory.malloc(size);
      if (b == null) {
        emptyCache();
        b = memory.malloc(size);
      }
      if (b == null) {
        throw new CudaOutOfMemoryError("out of memory on " + device + ": cannot allocate " + bytes + " bytes ("
            + size + " with rounding) even after returning the cache to the driver; " + statsLocked()
            + ". Use a smaller batch, or free tensors (close them or their Scope).");
      }
      mallocs++;
      reserved += b.bytes;
      peakReserved = Math.max(peakReserved, reserved);
    }
    allocated += b.bytes;
    peakAllocated = Math.max(peakAllocated, allocated);
    return b;
  }

  /** Returns a block to its pool (the device memory stays reserved). */
  public synchronized void release(Block b) {
    allocated -= b.bytes;
    pools.computeIfAbsent(b.bytes, k -> new ArrayDeque<>()).push(b);
  }

  /** Gives every cached block back to the driver. */
  public synchronized void emptyCache() {
    flushes++;
    for (ArrayDeque<Block> pool : pools.values()) {
      for (Block b : pool) {
        memory.free(b);
        frees++;
        reserved -= b.bytes;
      }
    }
    pools.clear();
  }

  public synchronized Stats stats() {
    return statsLocked();
  }

  private Stats statsLocked() {
    return new Stats(allocated, reserved, peakAllocated, peakReserved, allocations, cacheHits, mallocs, frees, flushes);
  }

  /** Thrown when the device has no memory left for a request, even after the cache was emptied. */
  public static final class CudaOutOfMemoryError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CudaOutOfMemoryError(String message) {
      super(message);
    }
  }
}
