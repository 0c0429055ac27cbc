package io.parley.manager;

import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.Store;

/**
 * Virtual managers, one document each: {@code _id, name, persona, operators, timezone, group, createdAt,
 * updatedAt}. {@code operators} are the public ids of the {@code manager} tokens of the people behind
 * the persona; {@code timezone} is an IANA zone id or null; {@code group} (or null) names a team that
 * follow-up tasks can be given to, to whichever member has the fewest open ones.
 */
public final class ManagerStore extends DocumentStore {
  public ManagerStore(Store store) {
    super(store, Collections.MANAGERS);
  }
}
