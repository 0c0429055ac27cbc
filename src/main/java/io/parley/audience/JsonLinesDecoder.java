package io.parley.audience;

import io.parley.http.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.JsonEvent;
import io.vertx.core.parsetools.JsonParser;
import java.util.Map;

/**
 * {@code application/json}: {@code {"lines": ["...", ...]}}, read token by token with Vert.x's streaming
 * parser so the array is never held whole. Item {@code i} is line {@code i + 1}; an item that is not a
 * string is refused as a line, any other top-level field fails the upload.
 */
final class JsonLinesDecoder implements BodyDecoder {
  private static final String LINES = "lines";

  private final LineSink sink;
  private final JsonParser parser = JsonParser.newParser();
  private RuntimeException failure;
  private int depth;
  private boolean inLines;
  private boolean sawLines;
  private long index;
  private int skipDepth; // > 0 while skipping an object or array found where a string belongs

  JsonLinesDecoder(LineSink sink) {
    this.sink = sink;
    parser.handler(this::event);
    parser.exceptionHandler(e -> {
      if (failure == null) {
        failure = e instanceof ApiError api ? api
            : new ApiError(400, "malformed_json", "the request body is not valid JSON: " + e.getMessage(), null);
      }
    });
  }

  @Override
  public void feed(Buffer chunk) {
    parser.handle(chunk);
    rethrow();
  }

  @Override
  public void end() {
    parser.end();
    rethrow();
    if (!sawLines) throw ApiError.missing(LINES);
  }

  private void rethrow() {
    if (failure != null) throw failure;
  }

  private void event(JsonEvent e) {
    if (failure != null) return;
    try {
      if (skipDepth > 0) skip(e);
      else if (depth == 0) top(e);
      else if (!inLines) field(e);
      else item(e);
    } catch (ApiError error) {
      failure = error;
    }
  }

  private void top(JsonEvent e) {
    if (e.type() != io.vertx.core.parsetools.JsonEventType.START_OBJECT) {
      throw new ApiError(400, "malformed_json", "the request body must be a JSON object {\"lines\": [...]}", null);
    }
    depth = 1;
  }

  private void field(JsonEvent e) {
    switch (e.type()) {
      case END_OBJECT -> depth = 0;
      case START_ARRAY -> {
        requireLines(e.fieldName());
        inLines = true;
      }
      default -> {
        requireLines(e.fieldName());
        throw new ApiError(400, "wrong_type", "lines must be an array of strings", LINES);
      }
    }
  }

  private void requireLines(String name) {
    if (!LINES.equals(name)) {
      throw new ApiError(400, "unknown_field", name + " is not a known field (known: lines)", name);
    }
    if (sawLines) throw ApiError.invalid(LINES, "lines appears twice");
    sawLines = true;
  }

  private void item(JsonEvent e) {
    switch (e.type()) {
      case END_ARRAY -> inLines = false;
      case VALUE -> {
        long line = ++index;
        if (e.isString()) {
          if (!e.stringValue().isBlank()) sink.line(line, e.stringValue(), Map.of());
        } else {
          sink.reject(line, String.valueOf(e.value()), "lines[" + (line - 1) + "] is not a string");
        }
      }
      default -> { // START_OBJECT or START_ARRAY in place of a string
        long line = ++index;
        sink.reject(line, e.type() == io.vertx.core.parsetools.JsonEventType.START_OBJECT ? "{...}" : "[...]",
            "lines[" + (line - 1) + "] is not a string");
        skipDepth = 1;
      }
    }
  }

  private void skip(JsonEvent e) {
    switch (e.type()) {
      case START_OBJECT, START_ARRAY -> skipDepth++;
      case END_OBJECT, END_ARRAY -> skipDepth--;
      default -> { }
    }
  }
}
