package io.parley.channel.whatsapp;

import io.parley.support.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Webhook posts as Meta sends them: the {@code entry[].changes[].value} envelope, signed with the app secret. */
public final class MetaWebhooks {
  private final Http http;
  private final String channelId;
  private final String phoneNumberId;
  private final String appSecret;

  public MetaWebhooks(Http http, String channelId, String phoneNumberId, String appSecret) {
    this.http = http;
    this.channelId = channelId;
    this.phoneNumberId = phoneNumberId;
    this.appSecret = appSecret;
  }

  /** Posts {@code value}'s parts in Meta's envelope, correctly signed. */
  public Http.Response post(JsonObject value) {
    return postRaw(envelope(value).encode(), null);
  }

  /** Posts {@code body} as is, signed with {@code signature} (null: the right one). */
  public Http.Response postRaw(String body, String signature) {
    return http.send(http.builder("/webhooks/whatsapp/" + channelId, null)
        .header("Content-Type", "application/json")
        .header("X-Hub-Signature-256", signature != null ? signature : sign(appSecret, body))
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Http.Response postUnsigned(String body) {
    return http.send(http.builder("/webhooks/whatsapp/" + channelId, null)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public JsonObject envelope(JsonObject value) {
    JsonObject v = value.copy().put("messaging_product", "whatsapp")
        .put("metadata", new JsonObject().put("display_phone_number", "15550001111").put("phone_number_id", phoneNumberId));
    return new JsonObject().put("object", "whatsapp_business_account").put("entry", new JsonArray().add(new JsonObject()
        .put("id", "102290129340398").put("changes", new JsonArray().add(new JsonObject().put("value", v).put("field", "messages")))));
  }

  /** A contact's text message; {@code from} is WhatsApp's digits-only id. */
  public static JsonObject text(String from, String id, String body, Instant at) {
    return messages(from, new JsonObject().put("from", from).put("id", id).put("timestamp", seconds(at))
        .put("type", "text").put("text", new JsonObject().put("body", body)));
  }

  /** A contact's message of any type, with that type's object. */
  public static JsonObject message(String from, String id, String type, JsonObject part, Instant at) {
    return messages(from, new JsonObject().put("from", from).put("id", id).put("timestamp", seconds(at))
        .put("type", type).put(type, part));
  }

  private static JsonObject messages(String from, JsonObject message) {
    return new JsonObject()
        .put("contacts", new JsonArray().add(new JsonObject().put("profile", new JsonObject().put("name", "Kerry Fisher"))
            .put("wa_id", from)))
        .put("messages", new JsonArray().add(message));
  }

  /** A status of a message we sent; {@code category} adds Meta's pricing block. */
  public static JsonObject status(String wamid, String status, String recipient, Instant at, String category) {
    JsonObject s = new JsonObject().put("id", wamid).put("status", status).put("timestamp", seconds(at))
        .put("recipient_id", recipient);
    if (category != null) {
      s.put("pricing", new JsonObject().put("billable", true).put("pricing_model", "PMP").put("category", category));
    }
    return new JsonObject().put("statuses", new JsonArray().add(s));
  }

  /** A {@code failed} status with Meta's {@code errors[]}. */
  public static JsonObject failed(String wamid, String recipient, Instant at, int code, String title, String details) {
    JsonObject s = new JsonObject().put("id", wamid).put("status", "failed").put("timestamp", seconds(at))
        .put("recipient_id", recipient).put("errors", new JsonArray().add(new JsonObject().put("code", code)
            .put("title", title).put("message", title).put("error_data", new JsonObject().put("details", details))));
    return new JsonObject().put("statuses", new JsonArray().add(s));
  }

  public static String sign(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String seconds(Instant at) {
    return Long.toString(at.getEpochSecond());
  }
}
