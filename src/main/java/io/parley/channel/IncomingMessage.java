package io.parley.channel;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A message a contact sent to one of our channels, as every channel hands it to Parley. It travels on the
 * event bus as JSON ({@link #toJson()}), with {@code receivedAt} as an ISO-8601 instant.
 */
public record IncomingMessage(String channelId, String from, String text, String platformMessageId,
    Instant receivedAt) {

  public IncomingMessage {
    // MongoDB keeps milliseconds; cutting here keeps the stored and the published copy identical.
    receivedAt = receivedAt.truncatedTo(ChronoUnit.MILLIS);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("channelId", channelId)
        .put("from", from)
        .put("text", text)
        .put("platformMessageId", platformMessageId)
        .put("receivedAt", receivedAt.toString());
  }

  public static IncomingMessage fromJson(JsonObject json) {
    return new IncomingMessage(json.getString("channelId"), json.getString("from"), json.getString("text"),
        json.getString("platformMessageId"), Instant.parse(json.getString("receivedAt")));
  }
}
