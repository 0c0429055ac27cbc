package io.parley.manager;

import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.Store;

/**
 * Virtual managers, one document each: {@code _id, name, persona, operators, timezone, createdAt,
 * updatedAt}. {@code operators} are the public ids of the {@code manager} tokens of the people behind
 * the persona; {@code timezone} is an IANA zone id or null.
 */
public final class ManagerStore extends DocumentStore {
  public ManagerStore(Store store) {
    super(store, Collections.MANAGERS);
  }
}
