package io.parley.dispatch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.ops.Metrics;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dispatcher's meters for one channel: Parley's shared ones ({@link Metrics}: dialogues opened,
 * messages sent and failed) and the dispatcher's own. Tag values are bounded: the channel id (channels
 * are configured, not user input) and a result from a fixed set.
 */
final class DispatchMetrics {
  static final String RESULTS = "parley.send.results";
  static final String LAG = "parley.dispatcher.lag";
  static final String REMAINING_TODAY = "parley.channel.remaining.today";

  private final MeterRegistry registry;
  private final Metrics shared;
  private final String channel;
  private final DistributionSummary lag;
  private final AtomicLong remainingToday = new AtomicLong();

  DispatchMetrics(MeterRegistry registry, String channel) {
    this.registry = registry;
    this.shared = new Metrics(registry);
    this.channel = channel;
    this.lag = DistributionSummary.builder(LAG).tag("channel", channel).baseUnit("seconds")
        .description("how late a dialogue opened against when it was due").publishPercentiles(0.5, 0.99)
        .register(registry);
    Gauge.builder(REMAINING_TODAY, remainingToday, AtomicLong::get).tag("channel", channel)
        .description("new dialogues this channel may still open today").register(registry);
  }

  void opened() {
    shared.dialogueOpened(channel);
    shared.messageSent(channel);
  }

  /** {@code result} is one of accepted, retry, failed, unreachable. */
  void result(String result) {
    Counter.builder(RESULTS).tag("channel", channel).tag("result", result).description("send attempts by result")
        .register(registry).increment();
    if (result.equals("failed") || result.equals("unreachable")) shared.messageFailed(channel);
  }

  void lag(double seconds) {
    lag.record(Math.max(0, seconds));
  }

  void remainingToday(long remaining) {
    remainingToday.set(Math.max(0, remaining));
  }
}
