package io.parley.channel;

import org.bson.Document;

/**
 * Reads a channel's write-only secrets, which its document keeps apart from the settings the API shows
 * ({@code secrets.<name>}, see {@link ChannelMapper}). Engine code reads them only through here.
 */
public final class ChannelSecrets {
  private ChannelSecrets() {}

  /** The secret {@code name} of {@code channel}, or null when it has none. */
  public static String get(Document channel, String name) {
    Document secrets = channel.get("secrets", Document.class);
    Object value = secrets == null ? null : secrets.get(name);
    return value instanceof String s ? s : null;
  }
}
