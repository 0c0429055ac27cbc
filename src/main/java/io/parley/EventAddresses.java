package io.parley;

/** Every event-bus address Parley uses, declared once. */
public final class EventAddresses {
  /** Published after a task's status changed: {@code {id, status}}. */
  public static final String TASK_STATUS = "parley.task.status";

  /**
   * Published once per message a contact sent, after it was stored in {@code inbound}: an
   * {@link io.parley.channel.IncomingMessage} as JSON {@code {channelId, from, text, platformMessageId, receivedAt}}.
   */
  public static final String INCOMING_MESSAGE = "parley.message.incoming";

  /** Published locally each time a channel's dispatcher goes to sleep: {@code {channel, until}}. */
  public static final String DISPATCHER_SLEEPING = "parley.dispatcher.sleeping";

  private EventAddresses() {}
}
