package io.parley.channel.whatsapp;

import io.parley.channel.OutgoingMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The Cloud API's message bodies: a template with body parameters, or free text. */
final class GraphMessages {
  private GraphMessages() {}

  static JsonObject template(String to, String name, String language, JsonArray parameters) {
    JsonObject template = new JsonObject().put("name", name).put("language", new JsonObject().put("code", language));
    if (!parameters.isEmpty()) {
      JsonArray filled = new JsonArray();
      for (Object p : parameters) filled.add(new JsonObject().put("type", "text").put("text", String.valueOf(p)));
      template.put("components", new JsonArray().add(new JsonObject().put("type", "body").put("parameters", filled)));
    }
    return envelope(to).put("type", "template").put("template", template);
  }

  static JsonObject text(OutgoingMessage message) {
    return envelope(message.to()).put("type", "text")
        .put("text", new JsonObject().put("preview_url", false).put("body", message.text()));
  }

  private static JsonObject envelope(String to) {
    return new JsonObject().put("messaging_product", "whatsapp").put("recipient_type", "individual")
        .put("to", Phones.digits(to));
  }
}
