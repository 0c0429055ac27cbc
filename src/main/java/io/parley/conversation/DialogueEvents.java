package io.parley.conversation;

import io.parley.EventAddresses;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import org.bson.Document;

/** Publishes the dialogue events in the shapes {@link EventAddresses} documents. */
final class DialogueEvents {
  private final EventBus bus;
  private final Clock clock;

  DialogueEvents(EventBus bus, Clock clock) {
    this.bus = bus;
    this.clock = clock;
  }

  /** A message stored in the dialogue; {@code dialogue} as it was stored with it. */
  void message(Document dialogue, String messageId, String direction) {
    bus.publish(EventAddresses.DIALOGUE_UPDATED, base(dialogue).put("kind", "message").put("messageId", messageId)
        .put("direction", direction).put("state", dialogue.getString("state")));
  }

  /**
   * A contact's message stored in the dialogue, as {@link #message} says it, and what it was: a reaction or a
   * notice ({@code kind}, {@code messageKind} in the event), or a stop word.
   */
  void incoming(Document dialogue, String messageId, String kind, boolean stopWord) {
    JsonObject event = base(dialogue).put("kind", "message").put("messageId", messageId).put("direction", "in")
        .put("state", dialogue.getString("state"));
    if (kind != null) event.put("messageKind", kind);
    if (stopWord) event.put("stopWord", true);
    bus.publish(EventAddresses.DIALOGUE_UPDATED, event);
  }

  void state(Document dialogue) {
    bus.publish(EventAddresses.DIALOGUE_UPDATED, base(dialogue).put("kind", "state")
        .put("state", dialogue.getString("state")).put("reason", dialogue.getString("stateReason")));
  }

  void blocked(Document dialogue) {
    bus.publish(EventAddresses.DIALOGUE_BLOCKED, base(dialogue).put("reason", dialogue.getString("stateReason")));
  }

  void outcome(Document dialogue, String by) {
    bus.publish(EventAddresses.DIALOGUE_OUTCOME, new JsonObject().put("dialogueId", dialogue.getString("_id"))
        .put("taskId", dialogue.getString("task")).put("channelId", dialogue.getString("channel"))
        .put("contact", dialogue.getString("contact")).put("outcome", dialogue.getString("outcome"))
        .put("closed", "closed".equals(dialogue.getString("state"))).put("by", by).put("at", clock.instant().toString()));
  }

  private JsonObject base(Document d) {
    return new JsonObject().put("dialogueId", d.getString("_id")).put("taskId", d.getString("task"))
        .put("channelId", d.getString("channel")).put("manager", d.getString("manager"))
        .put("at", clock.instant().toString());
  }
}
