package io.parley.store;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.parley.config.ConfigException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The in-process MongoDB-wire server (mongo-java-server on H2) used when no {@code mongo.uri} is set. */
public final class EmbeddedMongo implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedMongo.class);
  /** How long closing waits for the wire server to stop before it closes the file regardless. */
  static final Duration STOP_WAIT = Duration.ofSeconds(10);
  /**
   * The file that says the store is open, beside its data: written once it is open, removed once it is
   * closed. Found at start, it says the last run ended without closing the store (a kill, a crash).
   */
  static final String OPEN_MARK = "parley.open";

  private final AtomicBoolean closed = new AtomicBoolean();
  private final H2Backend backend;
  private final MongoServer server;
  private final Path file;
  private final Path openMark;
  private final String connectionString;
  private final boolean sync;

  private EmbeddedMongo(H2Backend backend, MongoServer server, Path file, Path openMark, String connectionString,
      boolean sync) {
    this.backend = backend;
    this.server = server;
    this.file = file;
    this.openMark = openMark;
    this.connectionString = connectionString;
    this.sync = sync;
  }

  /**
   * Opens the store in {@code dataDir}, compacting its file first if it is mostly free space ({@link
   * StoreFiles}), and serves it on {@code host:port}. When the last run did not close it ({@link #OPEN_MARK}),
   * its indexes are rebuilt from its documents first ({@link #clearIndexes}). With {@code sync}, each {@link
   * #commit} is synced to the disk as well.
   */
  public static EmbeddedMongo start(Path dataDir, String host, int port, int cacheMb, boolean sync) {
    return start(dataDir, host, port, cacheMb, StoreFiles.MIN_BYTES, sync, EmbeddedMongo::fileBuilder);
  }

  /** As {@link #start(Path, String, int, int, boolean)}, each save synced. */
  public static EmbeddedMongo start(Path dataDir, String host, int port, int cacheMb) {
    return start(dataDir, host, port, cacheMb, true);
  }

  /** As {@link #start(Path, String, int, int)}, compacting a file of {@code compactMinBytes} or more. */
  static EmbeddedMongo start(Path dataDir, String host, int port, int cacheMb, long compactMinBytes) {
    return start(dataDir, host, port, cacheMb, compactMinBytes, true, EmbeddedMongo::fileBuilder);
  }

  /** {@code files}: how the store's file is opened (tests watch what is done to it). */
  static EmbeddedMongo start(Path dataDir, String host, int port, int cacheMb, long compactMinBytes, boolean sync,
      Function<Path, MVStore.Builder> files) {
    Path dir = prepare(dataDir);
    Path file = dir.resolve("parley.mv.db");
    Path openMark = dir.resolve(OPEN_MARK);
    boolean unclosed = Files.exists(openMark) && Files.exists(file);
    StoreFiles.compactIfSparse(file, compactMinBytes);
    H2Backend backend;
    try {
      MVStore mv = files.apply(file).cacheSize(cacheMb).open();
      long started = System.nanoTime();
      int cleared = unclosed ? clearIndexes(mv) : 0;
      backend = new EmbeddedBackend(mv); // opening a collection builds each of its indexes found empty
      if (unclosed) {
        log.warn("The embedded store at {} was not closed by its last run (killed, or crashed): rebuilt its {} indexes"
            + " from its documents in {} ms", file, cleared, (System.nanoTime() - started) / 1_000_000);
      }
    } catch (RuntimeException e) {
      throw new ConfigException("cannot open the embedded store at " + file + ": " + e.getMessage(), e);
    }
    MongoServer server = new MongoServer(backend);
    try {
      server.bind(host, port);
    } catch (RuntimeException e) {
      backend.close();
      throw new ConfigException("cannot listen on " + host + ":" + port + " for the embedded store: "
          + e.getMessage(), e);
    }
    try {
      Files.writeString(openMark, "opened by process " + ProcessHandle.current().pid() + "\n");
    } catch (IOException e) {
      server.shutdownNow();
      backend.close();
      throw new ConfigException("cannot write " + openMark + ": " + e.getMessage(), e);
    }
    InetSocketAddress addr = server.getLocalAddress();
    String uri = "mongodb://" + addr.getHostString() + ":" + addr.getPort();
    return new EmbeddedMongo(backend, server, file, openMark, uri, sync);
  }

  private static MVStore.Builder fileBuilder(Path file) {
    return new MVStore.Builder().fileName(file.toString());
  }

  /**
   * Empties every unique index of the store, so opening its collections builds them again from their
   * documents; answers how many. A store that was not closed may hold a document without its index entry,
   * or the reverse: the server writes a document and its index entries one after the other, and H2 saves
   * what changed on a thread of its own (and Parley between commands), so a save can fall between the two
   * and a kill after it keeps half of the write. A document in the file without its {@code _id} entry could
   * then be neither found by {@code _id} nor inserted again (the server calls that an unknown error, not a
   * duplicate key).
   */
  private static int clearIndexes(MVStore mv) {
    int cleared = 0;
    for (String name : List.copyOf(mv.getMapNames())) {
      if (!name.endsWith(EmbeddedDatabase.INDEX_SUFFIX)) continue;
      mv.openMap(name, new MVMap.Builder<KeyValue, Object>().keyType(KeyValueType.INSTANCE)).clear();
      cleared++;
    }
    return cleared;
  }

  private static Path prepare(Path dataDir) {
    Path dir = dataDir.toAbsolutePath().normalize();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new ConfigException("data directory " + dir + " is a file, not a directory (set data.dir or PARLEY_DATA_DIR)");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException | SecurityException e) {
      throw new ConfigException("data directory " + dir + " cannot be created: " + e.getMessage(), e);
    }
    if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
      throw new ConfigException("data directory " + dir + " is not a writable directory");
    }
    return dir;
  }

  public String connectionString() {
    return connectionString;
  }

  public Path file() {
    return file;
  }

  /**
   * Saves what changed now, without waiting for the store's own second-by-second save; blocks the calling
   * thread. Safe beside the store's commands, as H2's own saves run beside them on a thread of H2's. The
   * write to the file outlives the process (a kill); with {@code sync} it is then forced to the disk, so it
   * outlives the machine (a power cut) too. The sync comes even when nothing is left to write: H2's own
   * saves, which never sync, may have written what the caller waits for.
   */
  void commit() {
    MVStore store = backend.getMvStore();
    if (store.hasUnsavedChanges()) store.commit();
    if (sync) store.sync();
  }

  /**
   * Stops serving and closes the file, once: a later call returns at once. mongo-java-server's shutdown,
   * called a second time, waited forever in about one double close in fifteen, on a client connection it
   * still listed after its threads had ended. And however long the wire side takes to stop, the file is
   * saved and closed after {@link #STOP_WAIT}: a process that stops must not hang on its sockets. The wire
   * side stops with its threads, which close the connections still open: Parley's driver, closed just
   * before, may not have closed its sockets yet, and {@code shutdownNow} closed them first with a WARNING
   * ("Closing 2 clients") at one stop in a few.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    Thread stopping = new Thread(server::shutdown, "parley-store-stop");
    stopping.setDaemon(true);
    stopping.start();
    try {
      stopping.join(STOP_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (stopping.isAlive()) {
      log.warn("The embedded store's connections did not close within {} s; closing its file regardless", STOP_WAIT.toSeconds());
    }
    backend.close();
    try {
      Files.deleteIfExists(openMark);
    } catch (IOException e) {
      log.warn("Cannot remove {}: the next start rebuilds the store's indexes", openMark, e);
    }
  }
}
