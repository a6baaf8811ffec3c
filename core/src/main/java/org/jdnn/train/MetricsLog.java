package org.jdnn.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes metrics as JSON lines ({@code metrics.jsonl}): one {@code "type":"step"} object every
 * {@code stepEvery} steps and one {@code "type":"epoch"} object per epoch, flushed as written so a
 * crash keeps everything logged so far.
 */
public final class MetricsLog implements TrainListener, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final BufferedWriter out;
  private final int stepEvery;

  public MetricsLog(Path file, int stepEvery) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    this.stepEvery = stepEvery;
  }

  @Override
  public void onStep(StepResult s) {
    if (stepEvery <= 0 || s.globalStep() % stepEvery != 0) return;
    ObjectNode o = JSON.createObjectNode();
    o.put("type", "step");
    o.put("epoch", s.epoch() + 1);
    o.put("step", s.step());
    o.put("global_step", s.globalStep());
    o.put("loss", s.loss());
    o.put("lr", s.lr());
    o.put("images_per_sec", s.imagesPerSecond());
    write(o);
  }

  @Override
  public void onEpochEnd(EpochResult e) {
    ObjectNode o = JSON.createObjectNode();
    o.put("type", "epoch");
    o.put("epoch", e.epoch() + 1);
    o.put("global_step", e.globalStep());
    o.put("train_loss", e.trainLoss());
    o.put("train_accuracy", e.trainAccuracy());
    if (e.test() != null) {
      o.put("test_loss", e.test().loss());
      o.put("test_accuracy", e.test().accuracy());
    }
    o.put("images_per_sec", e.imagesPerSecond());
    o.put("seconds", e.seconds());
    o.put("lr", e.lr());
    write(o);
  }

  private void write(ObjectNode o) {
    try {
      out.write(JSON.writeValueAsString(o));
      out.newLine();
      out.flush();
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write metrics: " + ex.getMessage(), ex);
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
