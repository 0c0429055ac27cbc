package io.parley.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Parley as a separate JVM, started like {@code java -cp ... io.parley.Main}: the way an operator runs it.
 * Standard output and error are collected line by line; every wait has a deadline.
 */
public final class ChildParley implements AutoCloseable {
  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;

  private ChildParley(Process process) {
    this.process = process;
    this.reader = new Thread(this::drain, "child-parley-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts Parley in {@code workDir} with only {@code env} as its PARLEY_* environment. */
  public static ChildParley start(Path workDir, Map<String, String> env) {
    return start(workDir, env, List.of());
  }

  /** As {@link #start(Path, Map)}, with {@code jvmOptions} after the child's own {@code -Xmx256m}. */
  public static ChildParley start(Path workDir, Map<String, String> env, List<String> jvmOptions) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.parley.Main"));
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("PARLEY_")); // the developer's own settings stay out
    pb.environment().putAll(env);
    try {
      return new ChildParley(pb.start());
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a child JVM: " + e.getMessage(), e);
    }
  }

  private void drain() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  /** The first output line matching {@code wanted}, waiting up to {@code within} for it. */
  public String awaitLine(Predicate<String> wanted, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    synchronized (lines) {
      int seen = 0;
      while (true) {
        for (; seen < lines.size(); seen++) {
          if (wanted.test(lines.get(seen))) return lines.get(seen);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new AssertionError("no such line within " + within + "; output so far:\n" + output());
        try {
          lines.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
  }

  /** The line after the first one matching {@code marker}, if the process printed it. */
  public Optional<String> lineAfter(Predicate<String> marker) {
    synchronized (lines) {
      for (int i = 0; i + 1 < lines.size(); i++) {
        if (marker.test(lines.get(i))) return Optional.of(lines.get(i + 1));
      }
      return Optional.empty();
    }
  }

  /** Waits for the process to end by itself and returns its exit code. */
  public int awaitExit(Duration within) {
    try {
      if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("still running after " + within + "; output so far:\n" + output());
      }
      reader.join(within.toMillis()); // the last lines may still be in the pipe
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends SIGTERM, as {@code kill} or a container stop does, and waits for the process to end. Through
   * the process handle: {@code Process.destroy()} sends the same signal but also closes our end of the
   * output pipe at once, so whatever the process logs while stopping would never be read.
   */
  public int terminate(Duration within) {
    process.toHandle().destroy();
    return awaitExit(within);
  }

  /** SIGKILL: the process gets no chance to finish anything, as in a crash or an OOM kill. */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("a killed child JVM did not end");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Everything printed so far, stdout and stderr interleaved. */
  public String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) process.destroyForcibly();
  }
}
