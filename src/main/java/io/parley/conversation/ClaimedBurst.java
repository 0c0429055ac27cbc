package io.parley.conversation;

import io.parley.EventAddresses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import org.bson.Document;

/**
 * A burst the router claimed in the write that stored its last message ({@link Dialogues#appendIncoming}),
 * handed to one responder of the same process ({@link EventAddresses#REPLY_CLAIMED}): {@code dialogue} as the
 * claim left it, context included, and {@code seq}, the claimed count. It travels by reference: the event bus
 * of a Parley process is its own, and the claim on the dialogue is what other processes see.
 */
record ClaimedBurst(Document dialogue, long seq) {
  /** Lets the event bus carry a {@code ClaimedBurst}; once per Vert.x instance, a second call does nothing. */
  static void register(EventBus bus) {
    try {
      bus.registerDefaultCodec(ClaimedBurst.class, new Local());
    } catch (IllegalStateException registered) { // conversations deployed again on the same Vert.x
    }
  }

  /** Delivers the same instance; a clustered event bus, which Parley does not use, could not carry it. */
  private static final class Local implements MessageCodec<ClaimedBurst, ClaimedBurst> {
    @Override
    public void encodeToWire(Buffer buffer, ClaimedBurst burst) {
      throw new UnsupportedOperationException("a claimed burst is handed over within one process only");
    }

    @Override
    public ClaimedBurst decodeFromWire(int pos, Buffer buffer) {
      throw new UnsupportedOperationException("a claimed burst is handed over within one process only");
    }

    @Override
    public ClaimedBurst transform(ClaimedBurst burst) {
      return burst;
    }

    @Override
    public String name() {
      return "parley.claimed-burst";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
