package io.parley.support;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;

/** A request body of {@code lines} generated lines, produced as the client reads it: nothing held whole. */
public final class GeneratedLines extends InputStream {
  private final int lines;
  private final IntFunction<String> line;
  private int next;
  private byte[] current = new byte[0];
  private int pos;

public GeneratedLines(int lines, IntFunction<String> line) {
    this.lines = lines;
    this.line = line;
  }

  @Override
  public int read() {
    if (!fill()) return -1;
    return current[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) return 0;
    int copied = 0;
    while (copied < len && fill()) {
      int k = Math.min(len - copied, current.length - pos);
      System.arraycopy(current, pos, b, off + copied, k);
      pos += k;
      copied += k;
    }
    return copied == 0 ? -1 : copied;
  }

  private boolean fill() {
    if (pos < current.length) return true;
    if (next >= lines) return false;
    current = line.apply(next++).getBytes(StandardCharsets.US_ASCII);
    pos = 0;
    return true;
  }
}
