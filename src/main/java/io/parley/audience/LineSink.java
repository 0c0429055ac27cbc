package io.parley.audience;

import java.util.Map;

/** Receives an upload's lines as a decoder finds them, one at a time, in order. */
interface LineSink {
  /** A non-blank line (trimming is the parser's job) with its merge fields, which may be empty. */
  void line(long number, String value, Map<String, String> fields);

  /** A line the decoder itself refuses (a JSON item that is not a string, a CSV row of the wrong width). */
  void reject(long number, String value, String reason);
}
