package io.parley.audience;

import io.vertx.core.buffer.Buffer;

/**
 * Turns an upload's bytes into lines, pushed to a {@link LineSink} as they complete. A decoder keeps
 * only the unfinished tail of the input, never the whole upload. Malformed input fails with an
 * {@link io.parley.http.ApiError}.
 */
interface BodyDecoder {
  void feed(Buffer chunk);

  /** The input is complete: push what remains, or fail if it ends mid-record. */
  void end();

  static BodyDecoder of(UploadFormat format, LineSink sink) {
    return switch (format) {
      case TEXT -> new TextDecoder(sink);
      case CSV -> new CsvDecoder(sink);
      case JSON -> new JsonLinesDecoder(sink);
    };
  }
}
