package io.parley;

import io.parley.config.ConfigException;
import io.parley.config.ParleyConfig;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.LogManager;

/** Starts Parley from the configuration and stops it gracefully on SIGTERM / Ctrl-C. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    configureLogging();
    try {
      ParleyConfig config = ParleyConfig.fromEnvironment();
      Parley parley = awaitStart(config);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> awaitClose(parley), "parley-shutdown"));
    } catch (ConfigException e) {
      System.err.println("Parley cannot start: " + e.getMessage());
      System.exit(2);
    } catch (RuntimeException e) {
      System.err.println("Parley cannot start: " + e);
      System.exit(1);
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

  private static void configureLogging() {
    if (System.getProperty("java.util.logging.config.file") != null) return;
    try (InputStream in = Main.class.getResourceAsStream("/logging.properties")) {
      if (in != null) LogManager.getLogManager().readConfiguration(in);
    } catch (IOException e) {
      System.err.println("Logging configuration unreadable, using the JDK's: " + e.getMessage());
    }
  }
}
