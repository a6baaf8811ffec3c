package org.jdnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The pool's contract whatever thread claims a chunk: each chunk once, failures rethrown, nesting inline. */
class CpuThreadsTest {
  private final CpuThreads pool = CpuThreads.get();

  @Test
  void everyChunkRunsExactlyOnceOverManyCalls() {
    int chunks = pool.threads();
    AtomicIntegerArray runs = new AtomicIntegerArray(chunks);
    for (int call = 0; call < 2000; call++) pool.forChunks(chunks, runs::incrementAndGet);
    for (int c = 0; c < chunks; c++) assertEquals(2000, runs.get(c), "chunk " + c);
  }

  @Test
  void aFailingChunkIsRethrownAfterTheOthersFinish() {
    int chunks = pool.threads();
    AtomicIntegerArray runs = new AtomicIntegerArray(chunks);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.forChunks(chunks, c -> {
      runs.incrementAndGet(c);
      if (c == chunks - 1) throw new IllegalStateException("chunk " + c + " failed");
    }));
    assertEquals("chunk " + (chunks - 1) + " failed", e.getMessage());
    for (int c = 0; c < chunks; c++) assertEquals(1, runs.get(c), "chunk " + c);
    pool.forChunks(chunks, c -> { }); // and the pool still serves
  }

  @Test
  void nestedCallsRunInlineWithTheSameChunks() {
    int chunks = pool.threads();
    AtomicIntegerArray inner = new AtomicIntegerArray(chunks * chunks);
    pool.forChunks(chunks, outer -> pool.forChunks(chunks, c -> inner.incrementAndGet(outer * chunks + c)));
    for (int i = 0; i < chunks * chunks; i++) assertEquals(1, inner.get(i), "pair " + i);
  }
}
