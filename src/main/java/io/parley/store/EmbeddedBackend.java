package io.parley.store;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

/**
 * mongo-java-server's H2 backend with {@link EmbeddedDatabase}s: the same files, faster indexes. H2 saves
 * what changed about once a second on its own; MongoDB's {@code fsync} command saves it now ({@link
 * Store#saved}), so what Parley acknowledges to the outside is in the file before it says so. A save is a
 * write to the file, not an fsync of the disk: it outlives the process (a kill, an OOM kill), not the machine.
 */
final class EmbeddedBackend extends H2Backend {
  EmbeddedBackend(MVStore store) {
    super(store);
  }

  @Override
  public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
    if (!"fsync".equalsIgnoreCase(command)) return super.handleCommand(channel, databaseName, command, query);
    MVStore store = getMvStore();
    if (store.hasUnsavedChanges()) store.commit(); // one save at a time: one asked for meanwhile waits for it
    return new Document("ok", 1.0);
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return EmbeddedDatabase.open(databaseName, getMvStore(), getCursorRegistry());
  }
}
