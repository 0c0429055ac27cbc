package io.parley.integration;

import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.util.Date;
import org.bson.Document;

/**
 * Integrations, one document each: {@code _id, name, url, events, enabled, secret, createdAt,
 * updatedAt}. {@code secret} is the Standard Webhooks signing secret ({@code whsec_...}); only the
 * delivery code reads it.
 */
public final class IntegrationStore extends DocumentStore {
  public IntegrationStore(Store store) {
    super(store, Collections.INTEGRATIONS);
  }

  /** Replaces the signing secret; the updated integration, or null when there is none with {@code id}. */
  public Future<Document> replaceSecret(String id, String secret, Date now) {
    return update(id, new Document("$set", new Document("secret", secret).append("updatedAt", now)));
  }
}
