package io.parley.channel.whatsapp;

import io.parley.channel.ChannelSecrets;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.bson.Document;

/**
 * One WhatsApp Business number as its channel document describes it: where the Graph API is, the
 * credentials, the messaging tier (empty when not set or unlimited) and the price per pricing category.
 */
record NumberSettings(String channelId, String phoneNumberId, String apiUrl, String apiVersion, String accessToken,
    String appSecret, String verifyToken, OptionalLong tier, Map<String, BigDecimal> prices) {

  /**
   * @throws IllegalArgumentException naming what is missing when the document is not a usable WhatsApp
   *     channel (never quoting a secret)
   */
  static NumberSettings of(Document channel) {
    String id = String.valueOf(channel.get("_id"));
    if (!"whatsapp".equals(channel.getString("type"))) {
      throw new IllegalArgumentException("channel " + id + " is not a WhatsApp channel");
    }
    Document s = channel.get("settings", Document.class);
    if (s == null || !(s.get("phoneNumberId") instanceof String phoneNumberId)) {
      throw new IllegalArgumentException("channel " + id + " has no settings.phoneNumberId");
    }
    String token = ChannelSecrets.get(channel, "accessToken");
    if (token == null) throw new IllegalArgumentException("channel " + id + " has no access token");
    String apiUrl = s.getString("apiUrl") == null ? "https://graph.facebook.com" : s.getString("apiUrl");
    String version = s.getString("apiVersion") == null ? "v23.0" : s.getString("apiVersion");
    return new NumberSettings(id, phoneNumberId, apiUrl.replaceAll("/+$", ""), version, token,
        ChannelSecrets.get(channel, "appSecret"), ChannelSecrets.get(channel, "verifyToken"),
        tier(s.get("messagingTier")), prices(s.get("prices", Document.class)));
  }

  String messagesUrl() {
    return apiUrl + "/" + apiVersion + "/" + phoneNumberId + "/messages";
  }

  /** The price of one message of {@code category} (Meta's pricing category); zero when not configured. */
  BigDecimal price(String category) {
    return category == null ? BigDecimal.ZERO : prices.getOrDefault(category, BigDecimal.ZERO);
  }

  private static OptionalLong tier(Object value) {
    if (value == null || "unlimited".equals(value)) return OptionalLong.empty();
    return OptionalLong.of(Long.parseLong(value.toString()));
  }

  private static Map<String, BigDecimal> prices(Document prices) {
    Map<String, BigDecimal> out = new HashMap<>();
    if (prices != null) prices.forEach((category, price) -> out.put(category, new BigDecimal(price.toString())));
    return Map.copyOf(out);
  }
}
