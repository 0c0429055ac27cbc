package io.parley.channel.web;

import io.parley.channel.SendResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/** Turns the receiver's HTTP answer to one callback into a {@link SendResult}. */
final class CallbackAnswer {
  private static final int MAX_REASON_BODY = 200;

  private final Clock clock;
  private final Duration retryDelay;

  CallbackAnswer(Clock clock, Duration retryDelay) {
    this.clock = clock;
    this.retryDelay = retryDelay;
  }

  SendResult classify(HttpResponse<Buffer> response, String webhookId) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) return new SendResult.Accepted(platformId(response.body(), webhookId));
    if (status == 429 || status == 503) {
      // The receiver said how long it needs; without a readable Retry-After fall back to our own delay.
      Duration delay = RetryAfter.parse(response.getHeader("Retry-After"), clock).orElse(retryDelay);
      return new SendResult.RetryLater(delay, "receiver is busy (" + status + ")");
    }
    if (status == 408 || status >= 500) {
      return new SendResult.RetryLater(retryDelay, "receiver failed (" + status + ")");
    }
    if (status == 410) return new SendResult.Failed("receiver gone (410)");
    // The receiver does not accept our signature: every message would be refused alike until the secret is fixed.
    if (status == 401 || status == 403) {
      return new SendResult.AuthFailed("receiver refused the signature (" + status + "): " + excerpt(response.body()));
    }
    if (status >= 400) return new SendResult.Failed("receiver refused (" + status + "): " + excerpt(response.body()));
    // 1xx and 3xx: a POST callback is not redirected, so the configured URL is wrong.
    return new SendResult.Failed("unexpected answer (" + status + "); callbackUrl should be the final address");
  }

  /** A send that got no answer at all (refused connection, timeout, reset) is worth another try. */
  SendResult unanswered(Throwable error) {
    String detail = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    return new SendResult.RetryLater(retryDelay, "receiver not reached: " + detail);
  }

  private static String platformId(Buffer body, String webhookId) {
    if (body == null || body.length() == 0) return webhookId;
    try {
      Object id = new JsonObject(body).getValue("id");
      if (id instanceof String s && !s.isBlank()) return s;
      if (id instanceof Number n) return n.toString();
    } catch (DecodeException | ClassCastException e) {
      // Not a JSON object: the receiver accepted without naming the message, so our id stands for it.
    }
    return webhookId;
  }

  private static String excerpt(Buffer body) {
    if (body == null) return "";
    String text = body.toString().strip();
    return text.length() <= MAX_REASON_BODY ? text : text.substring(0, MAX_REASON_BODY);
  }
}
