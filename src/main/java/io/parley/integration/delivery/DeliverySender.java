package io.parley.integration.delivery;

import io.parley.channel.web.RetryAfter;
import io.parley.webhook.SignedHeaders;
import io.parley.webhook.StandardWebhooks;
import io.parley.webhook.WebhookRejected;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * POSTs one stored callback body to an integration's URL, signed with its current secret (so a rotated
 * secret applies to retries too), and reports the {@link Attempt}. Never fails: a receiver that cannot be
 * reached is an attempt with an error. Reads no more of the answer than the log keeps, and gives up on a
 * receiver that has not finished answering within twice the timeout (the sender's claim outlives that).
 */
final class DeliverySender {
  private final Vertx vertx;
  private final HttpClient client;
  private final Clock clock;
  private final Duration timeout;

  DeliverySender(Vertx vertx, HttpClient client, Clock clock, Duration timeout) {
    this.vertx = vertx;
    this.client = client;
    this.clock = clock;
    this.timeout = timeout;
  }

  Future<Attempt> send(String deliveryId, String url, String secret, String body) {
    Instant at = clock.instant();
    long started = System.nanoTime();
    Buffer payload = Buffer.buffer(body);
    RequestOptions options;
    try {
      SignedHeaders signed = StandardWebhooks.forSecret(secret, clock).sign(deliveryId, payload.getBytes());
      options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
          .setConnectTimeout(timeout.toMillis()).setIdleTimeout(timeout.toMillis())
          .putHeader("Content-Type", "application/json").putHeader("User-Agent", "Parley").setFollowRedirects(false);
      signed.asMap().forEach(options::putHeader);
    } catch (WebhookRejected | IllegalArgumentException e) {
      return Future.succeededFuture(new Attempt(at, null, 0, "cannot send: " + e.getMessage(), null, Optional.empty()));
    }
    Promise<Attempt> result = Promise.promise();
    long deadline = vertx.setTimer(timeout.toMillis() * 2, t -> result.tryComplete(
        new Attempt(at, null, elapsed(started), "receiver did not finish answering within " + timeout.multipliedBy(2).toSeconds() + " s",
            null, Optional.empty())));
    client.request(options)
        .compose(request -> {
          result.future().onComplete(done -> request.reset()); // no-op once the exchange has ended
          return request.send(payload);
        })
        .onSuccess(response -> read(response, at, started, result))
        .onFailure(error -> result.tryComplete(new Attempt(at, null, elapsed(started),
            "receiver not reached: " + describe(error), null, Optional.empty())));
    return result.future().onComplete(done -> vertx.cancelTimer(deadline));
  }

  /** Keeps the first {@link Attempt#MAX_EXCERPT} bytes of the answer and completes at its end (or when that is full). */
  private void read(HttpClientResponse response, Instant at, long started, Promise<Attempt> result) {
    Buffer excerpt = Buffer.buffer();
    Runnable finish = () -> result.tryComplete(answered(response, at, elapsed(started), excerpt.toString()));
    response.handler(chunk -> {
      int room = Attempt.MAX_EXCERPT - excerpt.length();
      if (room > 0) excerpt.appendBuffer(chunk.length() <= room ? chunk : chunk.slice(0, room));
      if (excerpt.length() >= Attempt.MAX_EXCERPT) finish.run(); // the rest is of no use: the reset drops it
    });
    response.exceptionHandler(error -> finish.run());
    response.endHandler(v -> finish.run());
  }

  private Attempt answered(HttpClientResponse response, Instant at, long durationMs, String body) {
    int status = response.statusCode();
    String error = status >= 200 && status < 300 ? null : "receiver answered " + status;
    return new Attempt(at, status, durationMs, error, Attempt.excerpt(body),
        RetryAfter.parse(response.getHeader("Retry-After"), clock));
  }

  private static long elapsed(long startedNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }

  private static String describe(Throwable error) {
    return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
  }
}
