package io.parley.channel;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A message a contact sent to one of our channels, as every channel hands it to Parley. It travels on the
 * event bus as JSON ({@link #toJson()}), with {@code receivedAt} as an ISO-8601 instant. A {@code reaction}
 * (an emoji the contact put on an earlier message, or took off it; its text reads {@code [reaction] 👍}) is
 * stored and shown like any message and joins the AI's context, but is never answered on its own.
 */
public record IncomingMessage(String channelId, String from, String text, String platformMessageId,
    Instant receivedAt, boolean reaction) {

  /** A message that is not a reaction. */
  public IncomingMessage(String channelId, String from, String text, String platformMessageId, Instant receivedAt) {
    this(channelId, from, text, platformMessageId, receivedAt, false);
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
    return reaction ? json.put("reaction", true) : json;
  }

  public static IncomingMessage fromJson(JsonObject json) {
    return new IncomingMessage(json.getString("channelId"), json.getString("from"), json.getString("text"),
        json.getString("platformMessageId"), Instant.parse(json.getString("receivedAt")),
        json.getBoolean("reaction", false));
  }
}
