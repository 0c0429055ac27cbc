package io.parley;

/** Every event-bus address Parley uses, declared once. */
public final class EventAddresses {
  /** Published after a task's status changed: {@code {id, status}}. */
  public static final String TASK_STATUS = "parley.task.status";

  /**
   * Published for a message a contact sent, after it was stored in {@code inbound} — once while it waits there
   * to be routed; a platform's repeat after that is published again, and the router finds it stored: an
   * {@link io.parley.channel.IncomingMessage} as JSON {@code {channelId, from, text, platformMessageId, receivedAt}}.
   */
  public static final String INCOMING_MESSAGE = "parley.message.incoming";

  /** Published locally each time a channel's dispatcher goes to sleep: {@code {channel, until}}. */
  public static final String DISPATCHER_SLEEPING = "parley.dispatcher.sleeping";

  /**
   * Published after a dialogue's change is stored, for the managers' live feed and the pages:
   * {@code {dialogueId, taskId, channelId, manager, kind: "message"|"state", messageId?, direction?, state?,
   * messageKind?, stopWord?, reason?, at}}. A message event from the conversation engine carries the message's
   * {@code direction} ({@code in}/{@code out}) and the dialogue's {@code state} as stored with it; other
   * publishers may leave them out. A contact's message that is a reaction or a notice says so in
   * {@code messageKind}; one that is a stop word has {@code stopWord: true}.
   */
  public static final String DIALOGUE_UPDATED = "parley.dialogue.updated";

  /**
   * Published after a dialogue's outcome is stored (declared by the AI, a manager, an opt-out or a timeout):
   * {@code {dialogueId, taskId, channelId, contact, outcome, closed, by: "ai"|"manager"|"system", at}}.
   */
  public static final String DIALOGUE_OUTCOME = "parley.dialogue.outcome";

  /**
   * Published after a dialogue became {@code blocked} (spend cap, a closed WhatsApp window):
   * {@code {dialogueId, taskId, channelId, manager, reason, at}}.
   */
  public static final String DIALOGUE_BLOCKED = "parley.dialogue.blocked";

  /**
   * Sent (point to point, to one AI responder) when a dialogue's burst of messages may be due an answer:
   * {@code {dialogueId, seq?}}: {@code seq} is the contact's message count the notice is about, when the
   * sender knows it. The responder claims that burst on the dialogue (re-reading it first when {@code seq}
   * is missing); a stale notice does nothing.
   */
  public static final String REPLY_DUE = "parley.dialogue.reply-due";

  /**
   * Sent (point to point, to one AI responder of this process) when the router claimed a burst as it stored
   * the message that makes it (a burst window of 0): a {@code ClaimedBurst}, the dialogue as the claim left it
   * and the claimed count, passed by reference, never over a wire. The responder answers it without claiming.
   */
  public static final String REPLY_CLAIMED = "parley.dialogue.reply-claimed";

  /**
   * Published after a follow-up task for a manager was created or landed in an inbox:
   * {@code {id, type, assignedTo, dialogueId?, taskId?, contact?, date, at}}.
   */
  public static final String MANAGER_TASK_CREATED = "parley.manager-task.created";

  /**
   * Published after a follow-up task was completed (once per task, whatever retries):
   * {@code {id, type, assignedTo, dialogueId?, taskId?, contact?, outcome, at}}.
   */
  public static final String MANAGER_TASK_COMPLETED = "parley.manager-task.completed";

  /**
   * Published when an integration callback was given up on after its last retry, or its endpoint
   * answered 410: {@code {integrationId, deliveryId, event, taskId?, dialogueId?, reason, at}}.
   */
  public static final String CALLBACK_GAVE_UP = "parley.callback.gave-up";

  /**
   * Published locally after an integration callback was stored or queued again (redelivery), so this
   * process's sender schedules it: {@code {deliveryId, at}}.
   */
  public static final String CALLBACK_QUEUED = "parley.callback.queued";

  private EventAddresses() {}
}
