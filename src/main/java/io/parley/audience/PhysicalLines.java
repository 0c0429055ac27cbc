package io.parley.audience;

import io.parley.http.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * Splits bytes into numbered lines with a {@link RecordParser}: {@code \n} or {@code \r\n} endings, a
 * last line without ending, and a UTF-8 byte-order mark before the first line, which is dropped.
 */
final class PhysicalLines {
  static final int MAX_LINE_BYTES = 64 * 1024;
  private static final String BOM = "\uFEFF";

  private final RecordParser parser = RecordParser.newDelimited("\n").maxRecordSize(MAX_LINE_BYTES);
  private long number;

  PhysicalLines(BiConsumer<Long, String> each) {
    parser.handler(record -> {
      number++;
      String text = record.toString(StandardCharsets.UTF_8);
      if (!text.isEmpty() && text.charAt(text.length() - 1) == '\r') text = text.substring(0, text.length() - 1);
      if (number == 1 && text.startsWith(BOM)) text = text.substring(1);
      each.accept(number, text);
    });
  }

  void feed(Buffer chunk) {
    try {
      parser.handle(chunk);
    } catch (IllegalStateException e) {
      // RecordParser refuses a record over maxRecordSize this way: a line too long to be an address
      throw new ApiError(400, "line_too_long", "line " + (number + 1) + " is longer than " + MAX_LINE_BYTES
          + " bytes; is the upload one target per line?", null);
    }
  }

  /** Pushes a last line that had no line ending (a final newline gives one empty line, which is blank). */
  void end() {
    feed(Buffer.buffer("\n"));
  }

  long count() {
    return number;
  }
}
