package io.parley;

import io.parley.config.ConfigException;
import io.parley.config.ParleyConfig;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** Starts Parley from the configuration and stops it gracefully on SIGTERM / Ctrl-C. */
public final class Main {
  /** How long the stop waits for the JDK to reset a log manager that is not Parley's (see {@link #keepLogging}). */
  private static final Duration RESET_WAIT = Duration.ofSeconds(1);

  private Main() {}

  public static void main(String[] args) {
    useShutdownLogManager();
    configureLogging();
    // The hook is in place before start-up begins, so a SIGTERM that arrives while Parley is starting
    // (or right after "listening" is logged) still ends in a graceful close.
    CompletableFuture<Parley> running = new CompletableFuture<>();
    ShutdownLogManager.holdUntilReleased();
    Handler[] handlers = Logger.getLogger("").getHandlers();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(running, handlers), "parley-shutdown"));
    try {
      running.complete(awaitStart(ParleyConfig.fromEnvironment()));
    } catch (ConfigException e) {
      running.completeExceptionally(e);
      System.err.println("Parley cannot start: " + e.getMessage());
      System.exit(2);
    } catch (RuntimeException e) {
      running.completeExceptionally(e);
      System.err.println("Parley cannot start: " + e);
      System.exit(1);
    }
  }

  private static void stop(CompletableFuture<Parley> running, Handler[] handlers) {
    keepLogging(handlers);
    try {
      awaitClose(running.get(60, TimeUnit.SECONDS));
    } catch (ExecutionException | TimeoutException e) {
      // nothing was started, or start-up never finished: there is nothing to close
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ShutdownLogManager.release();
    }
  }

  private static Parley awaitStart(ParleyConfig config) {
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<Object> outcome = new AtomicReference<>();
    Parley.start(config, Clock.systemUTC()).onComplete(ar -> {
      outcome.set(ar.succeeded() ? ar.result() : ar.cause());
      done.countDown();
    });
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", e);
    }
    if (outcome.get() instanceof Parley parley) return parley;
    Throwable cause = (Throwable) outcome.get();
    if (cause instanceof ConfigException ce) throw ce;
    throw new ConfigException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
  }

  private static void awaitClose(Parley parley) {
    CountDownLatch done = new CountDownLatch(1);
    parley.close().onComplete(ar -> done.countDown());
    try {
      done.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Under a log manager that is not Parley's ({@code ./mvnw exec:java}: Maven's JVM made one before Parley
   * started), the JDK's own shutdown hook resets logging while Parley stops, and the lines of the stop,
   * "Parley stopped" among them, went nowhere. Waits briefly for that reset, then gives the root logger its
   * handlers back (a reset closes a console handler by flushing it; it still prints) and the loggers the levels
   * of Parley's logging configuration (else the store's wire server logs every connection it closes). The
   * reset may still be going through the other loggers when the root's handlers are gone, setting their levels
   * back after these were set, so the handlers also hold the levels themselves, as a filter by logger name.
   */
  private static void keepLogging(Handler[] handlers) {
    if (LogManager.getLogManager() instanceof ShutdownLogManager || handlers.length == 0) return;
    Logger root = Logger.getLogger("");
    long until = System.nanoTime() + RESET_WAIT.toNanos();
    try {
      while (root.getHandlers().length > 0 && System.nanoTime() < until) Thread.sleep(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (root.getHandlers().length > 0) return; // not reset: they print as they are
    Map<String, Level> levels = configuredLevels();
    levels.forEach((name, level) -> Logger.getLogger(name).setLevel(level));
    Filter byLogger = record -> {
      Level least = levelOf(record.getLoggerName(), levels);
      return least == null || record.getLevel().intValue() >= least.intValue();
    };
    for (Handler handler : handlers) {
      Filter own = handler.getFilter();
      handler.setFilter(own == null ? byLogger : record -> own.isLoggable(record) && byLogger.isLoggable(record));
      root.addHandler(handler);
    }
  }

  /** The levels of Parley's logging configuration by logger name ("" the root); none under a file of one's own. */
  private static Map<String, Level> configuredLevels() {
    Map<String, Level> levels = new HashMap<>();
    if (System.getProperty("java.util.logging.config.file") != null) return levels;
    try (InputStream in = Main.class.getResourceAsStream("/logging.properties")) {
      Properties props = new Properties();
      if (in != null) props.load(in);
      for (String key : props.stringPropertyNames()) {
        if (!key.endsWith(".level") || key.startsWith("java.util.logging.")) continue;
        String name = key.equals(".level") ? "" : key.substring(0, key.length() - ".level".length());
        levels.put(name, Level.parse(props.getProperty(key).trim()));
      }
    } catch (IOException | IllegalArgumentException e) {
      levels.put("", Level.INFO);
    }
    return levels;
  }

  /** The level configured for {@code name} or its nearest configured parent; null when none is. */
  static Level levelOf(String name, Map<String, Level> levels) {
    String n = name == null ? "" : name;
    while (true) {
      Level level = levels.get(n);
      if (level != null || n.isEmpty()) return level;
      int dot = n.lastIndexOf('.');
      n = dot < 0 ? "" : n.substring(0, dot);
    }
  }

  /**
   * Must run before anything logs. Names the class as a literal: referring to ShutdownLogManager here
   * would initialise LogManager (its superclass) before the property is read.
   */
  private static void useShutdownLogManager() {
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", "io.parley.ShutdownLogManager");
    }
  }

  private static void configureLogging() {
    if (System.getProperty("java.util.logging.config.file") != null) return;
    try (InputStream in = Main.class.getResourceAsStream("/logging.properties")) {
      if (in != null) LogManager.getLogManager().readConfiguration(in);
    } catch (IOException e) {
      System.err.println("Logging configuration unreadable, using the JDK's: " + e.getMessage());
    }
  }
}
