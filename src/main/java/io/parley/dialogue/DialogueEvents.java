package io.parley.dialogue;

import io.parley.EventAddresses;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.bson.Document;

/** Publishes what happened to a dialogue, after it is stored, in the shapes {@link EventAddresses} documents. */
final class DialogueEvents {
  private final EventBus bus;

  DialogueEvents(EventBus bus) {
    this.bus = bus;
  }

  void message(Document dialogue, String messageId, Instant at) {
    bus.publish(EventAddresses.DIALOGUE_UPDATED, base(dialogue, at).put("kind", "message").put("messageId", messageId)
        .put("state", dialogue.getString("state")));
  }

  void state(Document dialogue, Instant at) {
    bus.publish(EventAddresses.DIALOGUE_UPDATED, base(dialogue, at).put("kind", "state")
        .put("state", dialogue.getString("state")).put("reason", dialogue.getString("stateReason")));
  }

  void outcome(Document dialogue, String by, Instant at) {
    bus.publish(EventAddresses.DIALOGUE_OUTCOME, new JsonObject().put("dialogueId", dialogue.getString("_id"))
        .put("taskId", dialogue.getString("task")).put("channelId", dialogue.getString("channel"))
        .put("contact", dialogue.getString("contact")).put("outcome", dialogue.getString("outcome"))
        .put("closed", "closed".equals(dialogue.getString("state"))).put("by", by).put("at", at.toString()));
  }

  void blocked(Document dialogue, Instant at) {
    bus.publish(EventAddresses.DIALOGUE_BLOCKED, new JsonObject().put("dialogueId", dialogue.getString("_id"))
        .put("taskId", dialogue.getString("task")).put("channelId", dialogue.getString("channel"))
        .put("manager", dialogue.getString("manager")).put("reason", dialogue.getString("stateReason"))
        .put("at", at.toString()));
  }

  private static JsonObject base(Document d, Instant at) {
    return new JsonObject().put("dialogueId", d.getString("_id")).put("taskId", d.getString("task"))
        .put("channelId", d.getString("channel")).put("manager", d.getString("manager")).put("at", at.toString());
  }
}
