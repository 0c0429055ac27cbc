package io.parley.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestDirsTest {
  @TempDir
  Path tmp;

  @Test
  void theDirectoriesOfJvmsNoLongerRunningAreRemovedWithWhatTheyHold() throws Exception {
    long ended = endedPid();
    Path abandoned = tmp.resolve("parley-tests-" + ended);
    Files.createDirectories(abandoned.resolve("parley-test1/nested"));
    Files.writeString(abandoned.resolve("parley-test1/parley.mv.db"), "x".repeat(10_000));
    Path running = Files.createDirectories(tmp.resolve("parley-tests-" + ProcessHandle.current().pid()));
    Path parents = Files.createDirectories(tmp.resolve("parley-tests-" + ProcessHandle.current().parent().orElseThrow().pid()));
    Path other = Files.createDirectories(tmp.resolve("parley-tests-notapid"));
    Path unrelated = Files.createDirectories(tmp.resolve("parley-test123"));

    TestDirs.removeAbandoned(tmp);

    assertFalse(Files.exists(abandoned), "a directory of a JVM that ended is removed");
    assertTrue(Files.isDirectory(running), "this JVM's own is kept");
    assertTrue(Files.isDirectory(parents), "that of a JVM still running is kept");
    assertTrue(Files.isDirectory(other), "a name without a pid is not ours to remove");
    assertTrue(Files.isDirectory(unrelated), "other names are left alone");
  }

  @Test
  void aNewDirectoryIsEmptyAndUnderThisJvmsOwn() throws IOException {
    Path dir = TestDirs.create("parley-test");
    assertTrue(Files.isDirectory(dir));
    try (var listing = Files.list(dir)) {
      assertFalse(listing.findAny().isPresent());
    }
    assertTrue(dir.getParent().getFileName().toString().equals("parley-tests-" + ProcessHandle.current().pid()), dir.toString());
  }

  /** The pid of a process that has ended: a short-lived child's, waited for. */
  private static long endedPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    long pid = p.pid();
    assertTrue(ProcessHandle.of(pid).isEmpty(), "the child's pid is free again");
    return pid;
  }
}
