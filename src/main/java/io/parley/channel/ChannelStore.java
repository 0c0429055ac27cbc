package io.parley.channel;

import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.Store;

/**
 * Channels, one document each: {@code _id, type, name, settings, secrets, state, capabilities,
 * createdAt, updatedAt}. {@code secrets} holds the write-only credentials the engine needs;
 * {@code settings} holds only what may be shown.
 */
public final class ChannelStore extends DocumentStore {
  public ChannelStore(Store store) {
    super(store, Collections.CHANNELS);
  }
}
