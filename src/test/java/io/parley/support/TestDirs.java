package io.parley.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Data directories for tests and benchmarks, all under one directory per JVM ({@code parley-tests-<pid>} in
 * the system's temporary directory), which is removed when that JVM exits. An embedded store's file may run
 * to tens or hundreds of megabytes, and a full test run starts Parley on about a hundred directories: kept,
 * they filled the disk within days. A JVM that was killed leaves its directory behind; the next JVM that asks
 * for a directory removes those of JVMs no longer running.
 */
public final class TestDirs {
  private static final String PREFIX = "parley-tests-";
  private static Path root; // guarded by TestDirs.class

  private TestDirs() {}

  /** A new, empty directory, removed with the others when this JVM exits. */
  public static Path create(String prefix) {
    try {
      return Files.createTempDirectory(root(), prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static synchronized Path root() throws IOException {
    if (root != null) return root;
    Path tmp = Paths.get(System.getProperty("java.io.tmpdir"));
    removeAbandoned(tmp);
    root = Files.createDirectories(tmp.resolve(PREFIX + ProcessHandle.current().pid()));
    Path mine = root;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> removeTree(mine), "parley-test-dirs"));
    return root;
  }

  /** Removes the directories of test JVMs that are no longer running. */
  static void removeAbandoned(Path tmp) throws IOException {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PREFIX + "*")) {
      for (Path dir : dirs) {
        Long pid = pid(dir.getFileName().toString());
        if (pid != null && pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) removeTree(dir);
      }
    }
  }

  private static Long pid(String name) {
    try {
      return Long.parseLong(name.substring(PREFIX.length()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Removes {@code dir} and all it holds, as far as it can: a file that cannot go stays, the rest goes. */
  static void removeTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) { // a directory left non-empty, a file of another user: leave it
        }
      });
    } catch (NoSuchFileException gone) { // removed already
    } catch (IOException | UncheckedIOException e) {
      System.err.println("Could not remove the test directory " + dir + ": " + e.getMessage());
    }
  }
}
