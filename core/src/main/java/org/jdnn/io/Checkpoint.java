package org.jdnn.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdnn.nn.Module;

/**
 * A model checkpoint: {@code <name>.safetensors} with the state dict under PyTorch keys, and
 * {@code <name>.json} with the model's name, training position and whatever else the caller adds
 * (optimizer settings, metrics). Both are written to temporary files and renamed into place, the
 * JSON last, so the JSON's presence means the weights beside it are complete.
 */
public final class Checkpoint {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Checkpoint() {}

  /** Writes {@code dir/name.safetensors} and {@code dir/name.json}; returns the weights' path. */
  public static Path save(Path dir, String name, Module model, Map<String, Object> info) throws IOException {
    Files.createDirectories(dir);
    Path weights = dir.resolve(name + ".safetensors");
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", "pt"); // tells safetensors.torch the keys are a PyTorch state dict
    meta.put("producer", "jdnn");
    Safetensors.write(weights, model.stateDict(), meta);
    Map<String, Object> json = new LinkedHashMap<>(info);
    json.put("weights", weights.getFileName().toString());
    json.put("parameters", model.parameterCount());
    Path tmp = Files.createTempFile(dir, "." + name, ".json.tmp");
    try {
      JSON.writeValue(tmp.toFile(), json);
      Files.move(tmp, dir.resolve(name + ".json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return weights;
  }

  /** Loads {@code weights} (a safetensors file) into {@code model}, strictly: every key must match. */
  public static void load(Path weights, Module model) throws IOException {
    Safetensors.Contents c = Safetensors.read(weights);
    try {
      model.loadStateDict(c.tensors, true);
    } catch (IllegalArgumentException e) {
      throw new IOException(weights + ": " + e.getMessage(), e);
    }
  }
}
