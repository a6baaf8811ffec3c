package org.jdnn.util;

/**
 * A shape or argument does not fit an operation. Raised in {@code core} before any backend is
 * called; a {@link org.jdnn.nn.Module} adds its qualified name ({@code features.0}) on the way out
 * so the user sees which layer received the bad input.
 */
public class ShapeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String detail;
  private final String layer;

  public ShapeException(String detail) {
    this(detail, null);
  }

  private ShapeException(String detail, String layer) {
    super(layer == null ? detail : detail + " (layer " + layer + ")");
    this.detail = detail;
    this.layer = layer;
  }

  /** The layer that raised it, e.g. {@code `features.0` (Conv2d)}, or null outside any module. */
  public String layer() {
    return layer;
  }

  /** The same error attributed to a layer; the innermost layer wins, so this is idempotent. */
  public ShapeException inLayer(String layerDescription) {
    if (layer != null) return this;
    ShapeException e = new ShapeException(detail, layerDescription);
    e.setStackTrace(getStackTrace());
    return e;
  }
}
