package io.parley.channel.whatsapp;

import io.parley.http.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one webhook post of Meta's envelope ({@code entry[].changes[].value}) carries for one number:
 * the messages contacts sent, the statuses of messages we sent, and contacts' marketing preferences. Changes
 * for another phone number id are left out. A body that is not the envelope is refused; an item missing its
 * id is skipped.
 */
record WebhookEvents(List<Inbound> messages, List<Status> statuses, List<Preference> preferences, int otherNumbers) {

  /**
   * A message from a contact; {@code text} is its rendering (see {@link InboundText}). {@code movedTo}: the
   * new number, on Meta's notice that the contact changed theirs ({@code system.type user_changed_number}).
   */
  record Inbound(String id, String from, String type, String text, String profileName, Instant at, String movedTo) {}

  /** A status of a message we sent: sent, delivered, read or failed (with Meta's errors), maybe priced. */
  record Status(String wamid, String status, Instant at, String recipient, String failure, Pricing pricing) {}

  /**
   * A contact stopped or resumed a category of messages from the business ({@code user_preferences}: category
   * {@code marketing_messages}, value {@code stop} or {@code resume}).
   */
  record Preference(String phone, String category, String value, Instant at) {}

  /** Meta's {@code pricing}: whether the message is billed and in which category. */
  record Pricing(boolean billable, String category) {}

  static WebhookEvents parse(JsonObject body, String phoneNumberId, Instant now) {
    List<Inbound> messages = new ArrayList<>();
    List<Status> statuses = new ArrayList<>();
    List<Preference> preferences = new ArrayList<>();
    int others = 0;
    for (JsonObject entry : objects(body, "entry", "entry")) {
      for (JsonObject change : objects(entry, "changes", "entry[].changes")) {
        if (!(change.getValue("value") instanceof JsonObject value)) continue;
        JsonObject metadata = value.getValue("metadata") instanceof JsonObject m ? m : new JsonObject();
        if (!phoneNumberId.equals(String.valueOf(metadata.getValue("phone_number_id")))) {
          others++;
          continue;
        }
        JsonArray contacts = value.getValue("contacts") instanceof JsonArray c ? c : new JsonArray();
        for (JsonObject m : objects(value, "messages", "messages")) {
          Inbound in = inbound(m, contacts, now);
          if (in != null) messages.add(in);
        }
        for (JsonObject s : objects(value, "statuses", "statuses")) {
          Status st = status(s, now);
          if (st != null) statuses.add(st);
        }
        for (JsonObject p : objects(value, "user_preferences", "user_preferences")) {
          String waId = string(p, "wa_id");
          if (waId != null && !Phones.digits(waId).isEmpty() && string(p, "value") != null) {
            preferences.add(new Preference(Phones.e164(waId), string(p, "category"), string(p, "value"), time(p, now)));
          }
        }
      }
    }
    return new WebhookEvents(messages, statuses, preferences, others);
  }

  private static Inbound inbound(JsonObject m, JsonArray contacts, Instant now) {
    String id = string(m, "id");
    String from = string(m, "from");
    if (id == null || from == null) return null;
    String type = string(m, "type") == null ? "unknown" : string(m, "type");
    return new Inbound(id, Phones.e164(from), type, InboundText.of(type, m), profileName(contacts, from),
        time(m, now), movedTo(type, m, Phones.e164(from)));
  }

  /**
   * The number a {@code user_changed_number} notice names: {@code system.wa_id} (Graph API v12 and later;
   * {@code new_wa_id} before). Null for any other message, or one naming no number or the same one.
   */
  private static String movedTo(String type, JsonObject m, String from) {
    if (!"system".equals(type) || !(m.getValue("system") instanceof JsonObject system)
        || !"user_changed_number".equals(string(system, "type"))) {
      return null;
    }
    String to = string(system, "wa_id") != null ? string(system, "wa_id") : string(system, "new_wa_id");
    if (to == null || Phones.digits(to).isEmpty()) return null;
    return Phones.e164(to).equals(from) ? null : Phones.e164(to);
  }

  private static Status status(JsonObject s, Instant now) {
    String wamid = string(s, "id");
    String status = string(s, "status");
    if (wamid == null || status == null) return null;
    Pricing pricing = null;
    if (s.getValue("pricing") instanceof JsonObject p) {
      pricing = new Pricing(!Boolean.FALSE.equals(p.getValue("billable")), string(p, "category"));
    }
    String recipient = string(s, "recipient_id");
    return new Status(wamid, status, time(s, now), recipient == null ? null : Phones.e164(recipient),
        "failed".equals(status) ? failure(s) : null, pricing);
  }

  /** Meta's {@code errors[]} in words: each error's message, code and details. */
  private static String failure(JsonObject s) {
    List<String> parts = new ArrayList<>();
    if (s.getValue("errors") instanceof JsonArray errors) {
      for (Object e : errors) {
        if (!(e instanceof JsonObject error)) continue;
        String message = string(error, "message") != null ? string(error, "message") : string(error, "title");
        String details = error.getValue("error_data") instanceof JsonObject d ? string(d, "details") : null;
        parts.add((message == null ? "error" : message) + " (code " + error.getValue("code") + ")"
            + (details == null ? "" : ": " + details));
      }
    }
    return "failed: " + (parts.isEmpty() ? "no reason given" : String.join("; ", parts));
  }

  private static String profileName(JsonArray contacts, String waId) {
    for (Object c : contacts) {
      if (c instanceof JsonObject contact && waId.equals(string(contact, "wa_id"))
          && contact.getValue("profile") instanceof JsonObject profile) {
        return string(profile, "name");
      }
    }
    return null;
  }

  /**
   * Meta's timestamps are Unix seconds as a string; an unreadable one means "now", and one ahead of our
   * clock is taken as now, so a skewed clock never stretches a contact's 24-hour window.
   */
  private static Instant time(JsonObject o, Instant now) {
    Object t = o.getValue("timestamp");
    Instant at = now;
    try {
      if (t instanceof String s) at = Instant.ofEpochSecond(Long.parseLong(s.trim()));
      else if (t instanceof Number n) at = Instant.ofEpochSecond(n.longValue());
    } catch (NumberFormatException | java.time.DateTimeException e) {
      at = now;
    }
    return at.isAfter(now) ? now : at;
  }

  private static List<JsonObject> objects(JsonObject parent, String name, String path) {
    Object v = parent.getValue(name);
    if (v == null) return List.of();
    if (!(v instanceof JsonArray array)) throw new ApiError(400, "wrong_type", path + " must be an array", path);
    List<JsonObject> out = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof JsonObject o)) throw new ApiError(400, "wrong_type", path + " must hold objects", path);
      out.add(o);
    }
    return out;
  }

  static String string(JsonObject o, String name) {
    Object v = o.getValue(name);
    if (v instanceof String s && !s.isBlank()) return s;
    if (v instanceof Number n) return n.toString();
    return null;
  }
}
