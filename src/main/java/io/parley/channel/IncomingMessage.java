package io.parley.channel;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A message a contact sent to one of our channels, as every channel hands it to Parley. It travels on the
 * event bus as JSON ({@link #toJson()}), with {@code receivedAt} as an ISO-8601 instant. {@code kind} is
 * null for what the contact wrote; {@link #REACTION} for an emoji they put on an earlier message, or took off
 * it (its text reads {@code [reaction] 👍}); {@link #SYSTEM} for the platform's notice about the contact
 * (WhatsApp: they changed their number). Those are stored and shown like any message and join the AI's
 * context, but are never answered on their own. {@code movedTo} is set only on a notice that the contact
 * now writes from another address on the channel (their new number): their dialogue moves there.
 */
public record IncomingMessage(String channelId, String from, String text, String platformMessageId,
    Instant receivedAt, String kind, String movedTo) {
  public static final String REACTION = "reaction";
  public static final String SYSTEM = "system";

  /** What the contact wrote. */
  public IncomingMessage(String channelId, String from, String text, String platformMessageId, Instant receivedAt) {
    this(channelId, from, text, platformMessageId, receivedAt, null, null);
  }

  /** What the contact wrote ({@code kind} null), or a reaction or notice that moves nothing. */
  public IncomingMessage(String channelId, String from, String text, String platformMessageId, Instant receivedAt,
      String kind) {
    this(channelId, from, text, platformMessageId, receivedAt, kind, null);
  }

  public IncomingMessage {
    // MongoDB keeps milliseconds; cutting here keeps the stored and the published copy identical.
    receivedAt = receivedAt.truncatedTo(ChronoUnit.MILLIS);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("channelId", channelId)
        .put("from", from)
        .put("text", text)
        .put("platformMessageId", platformMessageId)
        .put("receivedAt", receivedAt.toString());
    if (kind != null) json.put("kind", kind);
    return movedTo != null ? json.put("movedTo", movedTo) : json;
  }

  /** Whether a reply may be due for it: the contact wrote it (not a reaction, not a notice). */
  public boolean answerable() {
    return kind == null;
  }

  public static IncomingMessage fromJson(JsonObject json) {
    return new IncomingMessage(json.getString("channelId"), json.getString("from"), json.getString("text"),
        json.getString("platformMessageId"), Instant.parse(json.getString("receivedAt")),
        json.getString("kind"), json.getString("movedTo"));
  }
}
