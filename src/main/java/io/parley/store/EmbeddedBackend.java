package io.parley.store;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.h2.mvstore.MVStore;

/**
 * mongo-java-server's H2 backend with {@link EmbeddedDatabase}s: the same files, faster indexes. H2 saves
 * what changed about once a second on its own; Parley has it save sooner where it must ({@link Store#saved}).
 */
final class EmbeddedBackend extends H2Backend {
  EmbeddedBackend(MVStore store) {
    super(store);
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return EmbeddedDatabase.open(databaseName, getMvStore(), getCursorRegistry());
  }
}
