package org.jdnn.train;

/** The loss became NaN or infinite: training stops rather than go on silently. */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrainingDivergedException(String message) {
    super(message);
  }
}
