package io.parley.support;

import io.parley.Parley;
import io.parley.config.ParleyConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Parley for tests: embedded store in a temporary data directory, HTTP on a free port, a known
 * admin token. Start it in {@code @BeforeAll}/{@code @BeforeEach} and {@link #close()} it after.
 */
public final class TestParley implements AutoCloseable {
  public static final String ADMIN = "pk_test_admin_token_for_parley_tests";

  private final Path dataDir;
  private final Parley parley;
  private final Http http;

  private TestParley(Path dataDir, Parley parley) {
    this.dataDir = dataDir;
    this.parley = parley;
    this.http = new Http(parley.port());
  }

  public static TestParley start() {
    return start(tempDir(), Map.of(), Clock.systemUTC());
  }

  /** Starts on {@code dataDir} (reuse it to test a restart) with extra configuration keys. */
  public static TestParley start(Path dataDir, Map<String, String> overrides, Clock clock) {
    Map<String, String> config = new HashMap<>();
    config.put("http.port", "0");
    config.put("http.host", "127.0.0.1");
    config.put("data.dir", dataDir.toString());
    config.put("admin.token", ADMIN);
    config.putAll(overrides);
    try {
      Parley parley = Parley.start(ParleyConfig.withOverrides(config), clock)
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      return new TestParley(dataDir, parley);
    } catch (Exception e) {
      throw new IllegalStateException("Parley did not start: " + e.getMessage(), e);
    }
  }

  /** A new data directory, removed when the JVM exits ({@link TestDirs}). */
  public static Path tempDir() {
    return TestDirs.create("parley-test");
  }

  public Http http() {
    return http;
  }

  public Parley parley() {
    return parley;
  }

  public Path dataDir() {
    return dataDir;
  }

  public int port() {
    return parley.port();
  }

  /** A new token with {@code role}, made through the API as an admin would. */
  public String token(String role) {
    Http.Response r = http.post("/api/tokens", ADMIN, new io.vertx.core.json.JsonObject()
        .put("name", role + " for tests").put("role", role));
    if (r.status() != 201) throw new IllegalStateException("token creation failed: " + r);
    return r.json().getString("token");
  }

  @Override
  public void close() {
    http.close();
    try {
      parley.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Parley did not stop: " + e.getMessage(), e);
    }
  }
}
