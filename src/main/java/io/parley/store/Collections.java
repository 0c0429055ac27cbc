package io.parley.store;

/** Every MongoDB collection Parley uses, named once. */
public final class Collections {
  public static final String TOKENS = "tokens";
  public static final String CHANNELS = "channels";
  public static final String AI_PROFILES = "ai_profiles";
  public static final String MANAGERS = "managers";
  public static final String INTEGRATIONS = "integrations";
  public static final String TASKS = "tasks";
  /**
   * What moves while a task runs, one small document per task keyed by its id: the audience numbering and
   * the dispatch cursor, the per-state counters, the dialogue statistics and the manager turn. Apart from
   * the task's settings (whose channel list can be large) so that each dialogue's writes stay small.
   */
  public static final String TASK_PROGRESS = "task_progress";
  public static final String AUDIENCE = "audience";
  /** The audience in upload order, a thousand addresses a page: how entries are claimed by {@code _id}. */
  public static final String AUDIENCE_PAGES = "audience_pages";
  /** Messages received from contacts, keyed {@code channelId:platformMessageId} so redeliveries collide. */
  public static final String INBOUND = "inbound";
  public static final String CHANNEL_DAYS = "channel_days";
  public static final String LEASES = "leases";
  /** Live Parley processes and their last heartbeat, for sharing channels fairly. */
  public static final String INSTANCES = "instances";
  public static final String DIALOGUES = "dialogues";
  /**
   * The processes answering dialogues and their last heartbeat, {@code _id} = the id their claims on bursts
   * carry: the bursts of one that went silent are answered by the others.
   */
  public static final String RESPONDER_RUNS = "responder_runs";
  public static final String MESSAGES = "messages";
  /** WhatsApp contacts per number, {@code _id = channel:+phone}: the 24-hour window and tier counting. */
  public static final String WHATSAPP_CONTACTS = "whatsapp_contacts";
  /** WhatsApp messages Parley sent, {@code _id = wamid}, so delivery statuses find their message by {@code _id}. */
  public static final String WHATSAPP_SENT = "whatsapp_sent";
  /** Per WhatsApp channel, new contacts counted per hour for the messaging tier ({@code _id = channel}). */
  public static final String WHATSAPP_TIER = "whatsapp_tier";
  /** Integration callbacks, stored before they are sent; {@code _id} is the {@code webhook-id}. */
  public static final String DELIVERIES = "deliveries";
  /** Follow-up tasks for managers (inbox, future, archive). */
  public static final String MANAGER_TASKS = "manager_tasks";
  /** One open reply task per dialogue: {@code _id = reply:<dialogueId>} names the task new messages join. */
  public static final String MANAGER_TASK_KEYS = "manager_task_keys";
  /** Outcome actions already run, {@code _id = mt:<taskId>:<outcome>:<n>}, so a retried completion skips them. */
  public static final String MANAGER_TASK_ACTIONS = "manager_task_actions";
  /** Contacts' tags set by outcomes: {@code _id} = the contact's address. */
  public static final String CONTACTS = "contacts";
  /** How far the quiet-dialogue check has looked, per outreach task. */
  public static final String FOLLOWUP_SCANS = "followup_scans";
  /**
   * People who wrote to a Telegram bot: {@code channel:chat:<id>} per chat, with alias documents
   * {@code channel:@username} and {@code channel:+phone} naming the chat, so every target resolves by {@code _id}.
   */
  public static final String TELEGRAM_CONTACTS = "telegram_contacts";
  /** Per Telegram channel: the persisted {@code getUpdates} offset ({@code _id} = channel id). */
  public static final String TELEGRAM_POLLING = "telegram_polling";
  /** The current dialogue of each contact on each channel, {@code _id = channel:contact}: routing by {@code _id}. */
  public static final String DIALOGUE_KEYS = "dialogue_keys";
  /** Contacts who opted out, {@code _id = address}: never contacted again by any task. */
  public static final String SUPPRESSIONS = "suppressions";

  private Collections() {}
}
