package io.parley;

import io.parley.config.ConfigException;
import io.parley.config.ParleyConfig;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.LogManager;

/** Starts Parley from the configuration and stops it gracefully on SIGTERM / Ctrl-C. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    useShutdownLogManager();
    configureLogging();
    // The hook is in place before start-up begins, so a SIGTERM that arrives while Parley is starting
    // (or right after "listening" is logged) still ends in a graceful close.
    CompletableFuture<Parley> running = new CompletableFuture<>();
    ShutdownLogManager.holdUntilReleased();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(running), "parley-shutdown"));
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

  private static void stop(CompletableFuture<Parley> running) {
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
