package io.parley.audience;

import io.vertx.core.buffer.Buffer;
import java.util.Map;

/** {@code text/plain}: one target per line; blank lines are skipped but keep their number. */
final class TextDecoder implements BodyDecoder {
  private final PhysicalLines lines;

  TextDecoder(LineSink sink) {
    this.lines = new PhysicalLines((number, text) -> {
      if (!text.isBlank()) sink.line(number, text, Map.of());
    });
  }

  @Override
  public void feed(Buffer chunk) {
    lines.feed(chunk);
  }

  @Override
  public void end() {
    lines.end();
  }
}
