package io.parley.ai;

import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.Store;

/**
 * AI profiles, one document each: {@code _id, name, provider, scripted, openai, secrets, createdAt,
 * updatedAt}. Exactly one of {@code scripted} and {@code openai} is set, the other is null;
 * {@code secrets.apiKey} is the write-only key of an OpenAI-compatible server.
 */
public final class AiProfileStore extends DocumentStore {
  public AiProfileStore(Store store) {
    super(store, Collections.AI_PROFILES);
  }
}
