package io.parley.store;

/** Every MongoDB collection Parley uses, named once. */
public final class Collections {
  public static final String TOKENS = "tokens";
  public static final String CHANNELS = "channels";
  public static final String AI_PROFILES = "ai_profiles";
  public static final String MANAGERS = "managers";
  public static final String INTEGRATIONS = "integrations";
  public static final String TASKS = "tasks";
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
  public static final String MESSAGES = "messages";
  /** The current dialogue of each contact on each channel, {@code _id = channel:contact}: routing by {@code _id}. */
  public static final String DIALOGUE_KEYS = "dialogue_keys";
  /** Contacts who opted out, {@code _id = address}: never contacted again by any task. */
  public static final String SUPPRESSIONS = "suppressions";
  /** One document per answered burst, {@code _id = dialogue:seq}: two responders never answer it twice. */
  public static final String REPLY_CLAIMS = "reply_claims";

  private Collections() {}
}
