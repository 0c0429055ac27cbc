package io.parley.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The embedded store alone, as a process of its own (for a benchmark that keeps the store's heap and
 * collector apart from Parley's): {@code java -cp ... io.parley.store.StoreProcess <data dir> [cacheMb]}. Prints
 * its connection string on one line and stops when its standard input closes (its parent ended).
 */
public final class StoreProcess {
  private StoreProcess() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: StoreProcess <data dir> [cacheMb]");
      System.exit(2);
    }
    int cacheMb = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    try (EmbeddedMongo store = EmbeddedMongo.start(Path.of(args[0]), "127.0.0.1", 0, cacheMb)) {
      System.out.println("store at " + store.connectionString());
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close our input (or end)
      }
    }
  }
}
