package io.parley.channel;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Date;

/**
 * Channels, one document each: {@code _id, type, name, settings, secrets, state, capabilities,
 * createdAt, updatedAt}, plus {@code stateReason, stateAt} once the engine changed the state. {@code secrets} holds the write-only credentials the engine needs;
 * {@code settings} holds only what may be shown.
 */
public final class ChannelStore extends DocumentStore {
  public ChannelStore(Store store) {
    super(store, Collections.CHANNELS);
    this.store = store;
  }

  private final Store store;

  /**
   * Sets a channel's state with the reason the marketer will see (e.g. {@code auth_failed} with the
   * platform's words). Channels not {@code active} are not dispatched.
   */
  public Future<Void> markState(String channelId, ChannelState state, String reason, Instant at) {
    return Rx.done(store.collection(Collections.CHANNELS).updateOne(Filters.eq("_id", channelId),
        Updates.combine(Updates.set("state", state.wire()), Updates.set("stateReason", reason),
            Updates.set("stateAt", Date.from(at)))));
  }
}
