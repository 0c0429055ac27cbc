package io.parley.integration.delivery;

import io.parley.channel.web.RetryAfter;
import io.parley.webhook.SignedHeaders;
import io.parley.webhook.StandardWebhooks;
import io.parley.webhook.WebhookRejected;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * POSTs one stored callback body to an integration's URL, signed with its current secret (so a rotated
 * secret applies to retries too), and reports the {@link Attempt}. Never fails: a receiver that cannot be
 * reached is an attempt with an error.
 */
final class DeliverySender {
  private final WebClient client;
  private final Clock clock;
  private final Duration timeout;

  DeliverySender(WebClient client, Clock clock, Duration timeout) {
    this.client = client;
    this.clock = clock;
    this.timeout = timeout;
  }

  Future<Attempt> send(String deliveryId, String url, String secret, String body) {
    Instant at = clock.instant();
    long started = System.nanoTime();
    Buffer payload = Buffer.buffer(body);
    SignedHeaders signed;
    HttpRequest<Buffer> request;
    try {
      signed = StandardWebhooks.forSecret(secret, clock).sign(deliveryId, payload.getBytes());
      request = client.postAbs(url).connectTimeout(timeout.toMillis()).idleTimeout(timeout.toMillis())
          .putHeader("Content-Type", "application/json");
    } catch (WebhookRejected | IllegalArgumentException | IllegalStateException e) {
      return Future.succeededFuture(new Attempt(at, null, 0, "cannot send: " + e.getMessage(), null, Optional.empty()));
    }
    signed.asMap().forEach(request::putHeader);
    return request.sendBuffer(payload)
        .map(response -> answered(at, elapsed(started), response))
        .otherwise(error -> new Attempt(at, null, elapsed(started), "receiver not reached: " + describe(error), null,
            Optional.empty()));
  }

  private Attempt answered(Instant at, long durationMs, HttpResponse<Buffer> response) {
    int status = response.statusCode();
    String excerpt = Attempt.excerpt(response.bodyAsString());
    String error = status >= 200 && status < 300 ? null : "receiver answered " + status;
    return new Attempt(at, status, durationMs, error, excerpt, RetryAfter.parse(response.getHeader("Retry-After"), clock));
  }

  private static long elapsed(long startedNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }

  private static String describe(Throwable error) {
    return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
  }
}
