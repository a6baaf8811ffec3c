package org.jdnn.cuda;

/**
 * The three directions of a convolution, with their operands: {@code FORWARD} y = conv(in1 = x,
 * in2 = w); {@code BACKWARD_DATA} dx = conv_t(in1 = w, in2 = dy); {@code BACKWARD_FILTER}
 * dw = corr(in1 = x, in2 = dy).
 */
public enum ConvDirection { FORWARD, BACKWARD_DATA, BACKWARD_FILTER }
