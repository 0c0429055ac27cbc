package io.parley.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.task.TaskStatus;
import java.util.function.Supplier;

/**
 * Parley's own meters, named once. Prometheus shows {@code parley.tasks} as {@code parley_tasks}.
 * Tag values are bounded: statuses come from an enum, channels from the configured channel ids.
 */
public final class Metrics {
  /** Outreach tasks per status, recounted periodically from MongoDB. */
  public static final String TASKS = "parley.tasks";
  public static final String MESSAGES_SENT = "parley.messages.sent";
  public static final String MESSAGES_RECEIVED = "parley.messages.received";
  public static final String MESSAGES_FAILED = "parley.messages.failed";
  public static final String DIALOGUES_OPENED = "parley.dialogues.opened";

  static final String TAG_STATUS = "status";
  static final String TAG_CHANNEL = "channel";

  private final MeterRegistry registry;

  public Metrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers the tasks gauge of {@code status}; it reads {@code value}, which must be cheap. */
  public Gauge taskCount(TaskStatus status, Supplier<Number> value) {
    return Gauge.builder(TASKS, value)
        .description("Outreach tasks in each status")
        .tag(TAG_STATUS, status.wire())
        .register(registry);
  }

  public void messageSent(String channelId) {
    counter(MESSAGES_SENT, "Messages sent to contacts", channelId).increment();
  }

  public void messageReceived(String channelId) {
    counter(MESSAGES_RECEIVED, "Messages received from contacts", channelId).increment();
  }

  public void messageFailed(String channelId) {
    counter(MESSAGES_FAILED, "Messages the platform refused or that could not be sent", channelId).increment();
  }

  public void dialogueOpened(String channelId) {
    counter(DIALOGUES_OPENED, "Outgoing dialogues opened", channelId).increment();
  }

  public void remove(Gauge gauge) {
    registry.remove(gauge);
  }

  private Counter counter(String name, String description, String channelId) {
    return Counter.builder(name).description(description).tag(TAG_CHANNEL, channelId).register(registry);
  }
}
