package io.parley.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreTool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the embedded store's file back the space its data no longer uses, at start. H2 writes each save as a
 * new chunk and rewrites half-empty chunks elsewhere in the file, so under heavy traffic the file grows to
 * about three times its data (BENCHMARKS.md, "A long run"), and H2 never shrinks it: not while running, not
 * when closing ({@code MVStore.close(ms)}, {@code compactFile} and {@code compact} left a 2.2 GB file of 0.7 GB
 * of data as it was). Copying the live data into a new file does, at about 3.5 s per GB of the old file.
 * So at start, before the store opens, a file of at least {@link #MIN_BYTES} whose data fills at most
 * {@link #MAX_LIVE_PERCENT} % of it is copied into {@code parley.mv.db.compacting}, synced to the disk and
 * renamed over the old one. A start that dies while copying leaves the old file whole: the partial copy is
 * removed at the next start. A copy that fails (a full disk) is removed, and the store opens the old file.
 */
final class StoreFiles {
  private static final Logger log = LoggerFactory.getLogger(StoreFiles.class);
  static final long MIN_BYTES = 64L << 20;
  static final int MAX_LIVE_PERCENT = 50;

  /** The file's size before and after, and how long the copy took. */
  record Compaction(long before, long after, Duration took) {}

  private StoreFiles() {}

  /** Compacts {@code file} if it is large and mostly free space; null when it was left as it is. */
  static Compaction compactIfSparse(Path file, long minBytes) {
    Path partial = file.resolveSibling(file.getFileName() + ".compacting");
    try {
      if (Files.deleteIfExists(partial)) log.info("Removed {}, left by a start that stopped while compacting", partial);
      if (!Files.isRegularFile(file) || Files.size(file) < minBytes) return null;
    } catch (IOException e) {
      log.warn("The embedded store's file was not compacted: {}", e.toString());
      return null;
    }
    int live = livePercent(file);
    if (live < 0 || live > MAX_LIVE_PERCENT) return null;
    long before = size(file);
    log.info("Compacting the embedded store's file {} ({}, about {} % of it in use); this takes a few seconds per GB",
        file, mb(before), live);
    long started = System.nanoTime();
    try {
      MVStoreTool.compact(file.toString(), partial.toString(), false);
      try (FileChannel copy = FileChannel.open(partial, StandardOpenOption.WRITE)) {
        copy.force(true);
      }
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(file.getParent());
    } catch (IOException | RuntimeException e) {
      log.warn("The embedded store's file was not compacted, and is used as it was: {}", e.toString());
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) { // removed at the next start
      }
      return null;
    }
    Compaction done = new Compaction(before, size(file), Duration.ofNanos(System.nanoTime() - started));
    log.info("Compacted the embedded store's file: {} → {} in {} ms", mb(done.before()), mb(done.after()),
        done.took().toMillis());
    return done;
  }

  /**
   * About how much of the file its data uses, in per cent: the share of the file that chunks take, times the
   * share of the chunks' pages still in use. -1 when the file cannot be read (in use by another process): it is
   * left to the store's own open to say why.
   */
  static int livePercent(Path file) {
    MVStore store;
    try {
      store = new MVStore.Builder().fileName(file.toString()).readOnly().open();
    } catch (RuntimeException e) {
      return -1;
    }
    try {
      FileStore<?> fs = store.getFileStore();
      return fs.getFillRate() * fs.getChunksFillRate() / 100;
    } finally {
      store.closeImmediately();
    }
  }

  private static String mb(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }

  /** Makes the rename last through a power cut, where the file system allows a directory to be synced. */
  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) { // not every platform syncs directories
      log.debug("The directory {} was not synced: {}", dir, e.getMessage());
    }
  }
}
