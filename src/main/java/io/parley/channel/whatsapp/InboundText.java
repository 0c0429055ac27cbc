package io.parley.channel.whatsapp;

import io.vertx.core.json.JsonObject;

/**
 * How a contact's WhatsApp message reads in Parley, which keeps text: a text message is its body; a
 * tapped button or list choice is the words on it; media is {@code [image]}, {@code [audio]} ... followed
 * by the caption if any; a location is {@code [location] lat,long name}; a reaction {@code [reaction]} and
 * its emoji; Meta's notice about the contact (a changed number) {@code [system]} and its words; anything
 * else is {@code [type]}.
 * The type itself is kept next to the message (inbound {@code type}).
 */
final class InboundText {
  private InboundText() {}

  static String of(String type, JsonObject m) {
    JsonObject part = m.getValue(type) instanceof JsonObject o ? o : new JsonObject();
    return switch (type) {
      case "text" -> orTag(WebhookEvents.string(part, "body"), type);
      case "button" -> orTag(WebhookEvents.string(part, "text"), type);
      case "interactive" -> orTag(interactiveTitle(part), type);
      case "image", "video", "document", "audio", "sticker" -> tagged(type, WebhookEvents.string(part, "caption"));
      case "location" -> tagged(type, location(part));
      case "reaction" -> tagged(type, WebhookEvents.string(part, "emoji"));
      case "system" -> tagged(type, WebhookEvents.string(part, "body"));
      default -> "[" + type + "]";
    };
  }

  private static String interactiveTitle(JsonObject part) {
    for (String kind : new String[] {"button_reply", "list_reply"}) {
      if (part.getValue(kind) instanceof JsonObject reply) return WebhookEvents.string(reply, "title");
    }
    return null;
  }

  private static String location(JsonObject part) {
    String lat = WebhookEvents.string(part, "latitude");
    String lon = WebhookEvents.string(part, "longitude");
    String name = WebhookEvents.string(part, "name");
    String where = lat == null || lon == null ? null : lat + "," + lon;
    if (where == null) return name;
    return name == null ? where : where + " " + name;
  }

  private static String orTag(String text, String type) {
    return text == null ? "[" + type + "]" : text;
  }

  private static String tagged(String type, String detail) {
    return "[" + type + "]" + (detail == null ? "" : " " + detail);
  }
}
