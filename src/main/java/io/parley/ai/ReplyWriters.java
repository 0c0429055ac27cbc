package io.parley.ai;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.time.Duration;

/** Makes the {@link ReplyWriter} of an AI profile; OpenAI-compatible profiles share one HTTP client. */
public final class ReplyWriters {
  private final WebClient client;
  private final Duration timeout;
  private final Clock clock;

  public ReplyWriters(Vertx vertx, Duration timeout, Clock clock) {
    this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setUserAgent("Parley"));
    this.timeout = timeout;
    this.clock = clock;
  }

  public ReplyWriter of(AiProfile profile) {
    if ("openai".equals(profile.provider())) return new OpenAiResponder(client, profile.openai(), timeout, clock);
    return new ScriptedResponder(profile.scripted());
  }
}
