package io.parley.store;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.parley.config.ConfigException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The in-process MongoDB-wire server (mongo-java-server on H2) used when no {@code mongo.uri} is set. */
public final class EmbeddedMongo implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedMongo.class);
  /** How long closing waits for the wire server to stop before it closes the file regardless. */
  static final Duration STOP_WAIT = Duration.ofSeconds(10);

  private final AtomicBoolean closed = new AtomicBoolean();
  private final H2Backend backend;
  private final MongoServer server;
  private final Path file;
  private final String connectionString;

  private EmbeddedMongo(H2Backend backend, MongoServer server, Path file, String connectionString) {
    this.backend = backend;
    this.server = server;
    this.file = file;
    this.connectionString = connectionString;
  }

  /**
   * Opens the store in {@code dataDir}, compacting its file first if it is mostly free space ({@link
   * StoreFiles}), and serves it on {@code host:port}.
   */
  public static EmbeddedMongo start(Path dataDir, String host, int port, int cacheMb) {
    return start(dataDir, host, port, cacheMb, StoreFiles.MIN_BYTES);
  }

  /** As {@link #start(Path, String, int, int)}, compacting a file of {@code compactMinBytes} or more. */
  static EmbeddedMongo start(Path dataDir, String host, int port, int cacheMb, long compactMinBytes) {
    Path dir = prepare(dataDir);
    Path file = dir.resolve("parley.mv.db");
    StoreFiles.compactIfSparse(file, compactMinBytes);
    H2Backend backend;
    try {
      backend = new EmbeddedBackend(new MVStore.Builder().fileName(file.toString()).cacheSize(cacheMb).open());
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
    InetSocketAddress addr = server.getLocalAddress();
    String uri = "mongodb://" + addr.getHostString() + ":" + addr.getPort();
    return new EmbeddedMongo(backend, server, file, uri);
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
   * thread. Safe beside the store's commands, as H2's own saves run beside them on a thread of H2's. A save
   * is a write to the file, not an fsync of the disk: it outlives the process (a kill), not the machine.
   */
  void commit() {
    MVStore store = backend.getMvStore();
    if (store.hasUnsavedChanges()) store.commit();
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
  }
}
