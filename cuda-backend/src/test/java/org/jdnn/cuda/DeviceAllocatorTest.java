package org.jdnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jdnn.cuda.DeviceAllocator.Block;
import org.jdnn.cuda.DeviceAllocator.CudaOutOfMemoryError;
import org.junit.jupiter.api.Test;

/** The caching allocator's bookkeeping, against a fake device memory with a capacity. */
class DeviceAllocatorTest {
  /** A device of {@code capacity} bytes that records every call. */
  static final class FakeMemory implements DeviceAllocator.DeviceMemory {
    final long capacity;
    long used;
    long next = 0x7f00_0000_0000L;
    final List<String> calls = new ArrayList<>();

    FakeMemory(long capacity) {
      this.capacity = capacity;
    }

    @Override
    public Block malloc(long bytes) {
      calls.add("malloc " + bytes);
      if (used + bytes > capacity) return null;
      used += bytes;
      Block b = new Block(next, bytes, "handle@" + next);
      next += bytes;
      return b;
    }

    @Override
    public void free(Block block) {
      calls.add("free " + block.bytes);
      used -= block.bytes;
    }
  }

  @Test
  void sizeClassesRoundSmallTo512AndLargeTo2MiB() {
    assertEquals(512, DeviceAllocator.roundUp(1));
    assertEquals(512, DeviceAllocator.roundUp(512));
    assertEquals(1024, DeviceAllocator.roundUp(513));
    assertEquals(1 << 20, DeviceAllocator.roundUp(1 << 20));
    assertEquals(2 << 20, DeviceAllocator.roundUp((1 << 20) + 1));
    assertEquals(4 << 20, DeviceAllocator.roundUp((2 << 20) + 1));
  }

  @Test
  void aFreedBlockIsReusedForTheSameSizeClass() {
    FakeMemory mem = new FakeMemory(1 << 30);
    DeviceAllocator a = new DeviceAllocator(mem, "cuda:0");
    Block b1 = a.allocate(1000);
    a.release(b1);
    Block b2 = a.allocate(900); // same 1024-byte class
    assertSame(b1, b2, "served from the cache");
    Block b3 = a.allocate(5000);
    assertNotSame(b1, b3);
    assertEquals(List.of("malloc 1024", "malloc 5120"), mem.calls, "two device allocations for three requests");
    DeviceAllocator.Stats s = a.stats();
    assertEquals(1024 + 5120, s.allocatedBytes());
    assertEquals(1024 + 5120, s.reservedBytes());
    assertEquals(3, s.allocations());
    assertEquals(1, s.cacheHits());
    assertEquals(2, s.deviceMallocs());
    a.release(b2);
    a.release(b3);
    assertEquals(0, a.stats().allocatedBytes());
    assertEquals(6144, a.stats().reservedBytes(), "freed blocks stay reserved in the pools");
    assertEquals(6144, a.stats().peakAllocatedBytes());
    a.emptyCache();
    assertEquals(0, a.stats().reservedBytes());
    assertEquals(0, mem.used, "every block went back to the device");
  }

  @Test
  void outOfMemoryEmptiesTheCacheAndRetriesOnce() {
    FakeMemory mem = new FakeMemory(4 << 20);
    DeviceAllocator a = new DeviceAllocator(mem, "cuda:0");
    Block big = a.allocate(3 << 20); // 4 MiB class: the whole device
    a.release(big);
    Block other = a.allocate(1 << 20); // another class: malloc fails, cache emptied, retried
    assertEquals(1 << 20, other.bytes);
    assertEquals(List.of("malloc 4194304", "malloc 1048576", "free 4194304", "malloc 1048576"), mem.calls);
    assertEquals(1, a.stats().cacheFlushes());
  }

  @Test
  void outOfMemoryAfterTheRetryNamesTheRequestAndTheStats() {
    FakeMemory mem = new FakeMemory(2 << 20);
    DeviceAllocator a = new DeviceAllocator(mem, "cuda:3");
    a.allocate(1 << 20);
    CudaOutOfMemoryError e = assertThrows(CudaOutOfMemoryError.class, () -> a.allocate(5_000_000));
    String m = e.getMessage();
    assertTrue(m.contains("out of memory on cuda:3"), m);
    assertTrue(m.contains("cannot allocate 5000000 bytes (6291456 with rounding)"), m);
    assertTrue(m.contains("allocated 1.0 MiB"), m);
    assertTrue(m.contains("smaller batch"), m);
  }

  @Test
  void negativeRequestsAreRejectedBeforeTheDevice() {
    FakeMemory mem = new FakeMemory(1 << 20);
    DeviceAllocator a = new DeviceAllocator(mem, "cuda:0");
    assertThrows(IllegalArgumentException.class, () -> a.allocate(-1));
    assertTrue(mem.calls.isEmpty());
  }
}
