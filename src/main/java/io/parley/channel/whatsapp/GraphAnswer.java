package io.parley.channel.whatsapp;

import io.parley.channel.SendResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;

/**
 * Reads the Cloud API's answer to one send. Meta's error {@code code} decides, not the HTTP status (the
 * same 400 can mean "bad template" or "outside the window"); the reason always keeps Meta's message, code
 * and {@code error_data.details}.
 */
final class GraphAnswer {
  static final int THROUGHPUT = 130429;
  static final int PAIR_RATE = 131056;
  static final int OUTSIDE_WINDOW = 131047;
  static final int UNDELIVERABLE = 131026;
  static final int BAD_TOKEN = 190;
  /** Meta asks for about 6 s between two messages to one person; a little more, to be safe. */
  static final Duration PAIR_WAIT = Duration.ofSeconds(10);
  private static final int MAX_EXCERPT = 200;

  /** A Graph API error as Meta writes it: {@code {"error": {message, type, code, error_data: {details}}}}. */
  record GraphError(int code, String message, String details) {
    String reason() {
      return message + " (code " + code + ")" + (details == null ? "" : ": " + details);
    }
  }

  private final NumberPace pace;

  GraphAnswer(NumberPace pace) {
    this.pace = pace;
  }

  SendResult classify(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    JsonObject body = json(response.body());
    if (status >= 200 && status < 300) return accepted(body);
    GraphError error = error(body);
    if (error != null) {
      SendResult byCode = byCode(error);
      if (byCode != null) return byCode;
    }
    String reason = error != null ? error.reason() : "HTTP " + status + ": " + excerpt(response.body());
    if (status == 401) return new SendResult.AuthFailed("access token refused: " + reason);
    if (status == 429) return new SendResult.RetryLater(pace.throttled(), "rate limited: " + reason);
    if (status >= 500) return new SendResult.RetryLater(pace.failed(), "Graph API failed: " + reason);
    return new SendResult.Failed("refused: " + reason);
  }

  /** No answer at all (refused connection, timeout, reset): worth another try, after a growing wait. */
  SendResult unanswered(Throwable error) {
    String detail = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    return new SendResult.RetryLater(pace.failed(), "Graph API not reached: " + detail);
  }

  private SendResult byCode(GraphError e) {
    return switch (e.code()) {
      case THROUGHPUT -> new SendResult.RetryLater(pace.throttled(), "number over its throughput: " + e.reason());
      case PAIR_RATE -> new SendResult.RetryLater(PAIR_WAIT, "too many messages to this recipient: " + e.reason(), true);
      // A person decides what follows (a template, or nothing); retrying free text cannot succeed.
      case OUTSIDE_WINDOW -> new SendResult.Held("24-hour window closed, re-send as a template: " + e.reason());
      case UNDELIVERABLE -> new SendResult.Failed("undeliverable: " + e.reason());
      case BAD_TOKEN -> new SendResult.AuthFailed("access token refused: " + e.reason());
      default -> null;
    };
  }

  private SendResult accepted(JsonObject body) {
    JsonArray messages = body == null ? null : body.getValue("messages") instanceof JsonArray a ? a : null;
    Object first = messages == null || messages.isEmpty() ? null : messages.getValue(0);
    Object id = first instanceof JsonObject m ? m.getValue("id") : null;
    if (!(id instanceof String wamid) || wamid.isBlank()) {
      // Accepted without naming the message: it may have gone out, so it is not sent again.
      return new SendResult.Failed("Graph API accepted the message without an id: " + (body == null ? "" : body.encode()));
    }
    pace.succeeded();
    return new SendResult.Accepted(wamid);
  }

  static GraphError error(JsonObject body) {
    if (body == null || !(body.getValue("error") instanceof JsonObject e)) return null;
    Object code = e.getValue("code");
    if (!(code instanceof Number n)) return null;
    String message = e.getValue("message") instanceof String s ? s : "(no message)";
    String details = e.getValue("error_data") instanceof JsonObject d && d.getValue("details") instanceof String s ? s : null;
    return new GraphError(n.intValue(), message, details);
  }

  private static JsonObject json(Buffer body) {
    if (body == null || body.length() == 0) return null;
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  private static String excerpt(Buffer body) {
    if (body == null) return "";
    String text = body.toString().strip();
    return text.length() <= MAX_EXCERPT ? text : text.substring(0, MAX_EXCERPT);
  }
}
