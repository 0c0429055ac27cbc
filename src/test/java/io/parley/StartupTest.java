package io.parley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.parley.support.ChildParley;
import io.parley.support.Http;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How Parley behaves as a process: refusing bad set-ups with a clear message, and a clean life cycle. */
class StartupTest {
  static final Duration EXIT = Duration.ofSeconds(30);
  static final Pattern LISTENING = Pattern.compile("Parley is listening on http://localhost:(\\d+)");
  static final String TOKEN_BANNER = "=== Parley generated an admin token";

  @TempDir
  Path dir;

  @Test
  void invalidPortStopsStartWithTheKeyNamed() {
    try (ChildParley p = ChildParley.start(dir, env(Map.of("PARLEY_HTTP_PORT", "99999")))) {
      assertNotEquals(0, p.awaitExit(EXIT), p.output());
      assertTrue(p.output().contains("http.port"), p.output());
      assertTrue(p.output().contains("PARLEY_HTTP_PORT"), p.output());
    }
  }

  @Test
  void unreachableMongoStopsStartSayingSo() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Map<String, String> env = env(Map.of(
        "PARLEY_MONGO_URI", "mongodb://127.0.0.1:" + closedPort,
        "PARLEY_MONGO_CONNECT_TIMEOUT_SECONDS", "2"));
    try (ChildParley p = ChildParley.start(dir, env)) {
      assertNotEquals(0, p.awaitExit(EXIT), p.output());
      assertTrue(p.output().contains("MongoDB did not answer"), p.output());
    }
  }

  @Test
  void dataDirThatIsAFileStopsStartNamingIt() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    try (ChildParley p = ChildParley.start(dir, env(Map.of("PARLEY_DATA_DIR", file.toString())))) {
      assertNotEquals(0, p.awaitExit(EXIT), p.output());
      assertTrue(p.output().contains("data directory " + file + " is a file"), p.output());
    }
  }

  @Test
  void dataDirBelowAFileStopsStartNamingIt() throws IOException {
    Path below = Files.writeString(dir.resolve("plain-file"), "x").resolve("data");
    try (ChildParley p = ChildParley.start(dir, env(Map.of("PARLEY_DATA_DIR", below.toString())))) {
      assertNotEquals(0, p.awaitExit(EXIT), p.output());
      assertTrue(p.output().contains("data directory " + below), p.output());
    }
  }

  @Test
  void dataDirInAReadOnlyDirectoryStopsStartNamingIt() throws IOException {
    Path readOnly = Files.createDirectory(dir.resolve("read-only"));
    assumeTrue(readOnly.toFile().setWritable(false, false) && !Files.isWritable(readOnly),
        "permissions are not enforced for this user (root)");
    Path data = readOnly.resolve("data");
    try (ChildParley p = ChildParley.start(dir, env(Map.of("PARLEY_DATA_DIR", data.toString())))) {
      assertNotEquals(0, p.awaitExit(EXIT), p.output());
      assertTrue(p.output().contains("data directory " + data), p.output());
    } finally {
      readOnly.toFile().setWritable(true, false);
    }
  }

  @Test
  void unknownKeyInConfigFileStopsStartNamingIt() throws IOException {
    Path config = Files.writeString(dir.resolve("parley.properties"), "http.port=0\ncolour=red\n");
    try (ChildParley p = ChildParley.start(dir, env(Map.of("PARLEY_CONFIG", config.toString())))) {
      assertNotEquals(0, p.awaitExit(EXIT), p.output());
      assertTrue(p.output().contains("unknown configuration key 'colour'"), p.output());
    }
  }

  @Test
  void generatedAdminTokenIsPrintedOnceAndSurvivesARestart() {
    Map<String, String> env = env(Map.of("PARLEY_DATA_DIR", dir.resolve("data").toString()));
    String token;
    try (ChildParley first = ChildParley.start(dir, env)) {
      int port = port(first);
      token = first.lineAfter(l -> l.startsWith(TOKEN_BANNER)).orElseThrow(
          () -> new AssertionError("no generated token printed:\n" + first.output())).trim();
      assertTrue(token.startsWith("pk_"), token);
      assertEquals(200, new Http(port).get("/api/tokens", token).status());
      first.terminate(EXIT);
      assertTrue(first.output().contains("Parley stopped"), first.output());
    }
    try (ChildParley second = ChildParley.start(dir, env)) {
      int port = port(second);
      assertFalse(second.output().contains(TOKEN_BANNER), "a token is printed on the first start only");
      Http.Response tokens = new Http(port).get("/api/tokens", token);
      assertEquals(200, tokens.status(), "the first start's token still works: " + tokens);
      assertEquals(1, tokens.items().size());
      second.terminate(EXIT);
      assertTrue(second.output().contains("Parley stopped"), second.output());
    }
  }

  /** The JVM options of the image's ENTRYPOINT (docker/Dockerfile) are ones this JDK starts Parley with. */
  @Test
  void productionImageJvmOptionsStartParley() throws IOException {
    List<String> options = imageJvmOptions(Files.readString(Path.of("docker/Dockerfile")));
    assertTrue(options.contains("-XX:+UseShenandoahGC"), "the image's options: " + options);
    try (ChildParley p = ChildParley.start(dir, env(Map.of("PARLEY_DATA_DIR", dir.resolve("data").toString())),
        options)) {
      assertEquals(200, new Http(port(p)).get("/health", null).status(), p.output());
      p.terminate(EXIT);
      assertTrue(p.output().contains("Parley stopped"), p.output());
    }
  }

  /**
   * Under a log manager that is not Parley's, as in Maven's JVM ({@code ./mvnw exec:java}, the README's start),
   * the JDK resets logging in a shutdown hook of its own while Parley stops: the stop is logged all the same,
   * at the configured levels (the store's wire server does not log each connection it closes).
   */
  @Test
  void aStopUnderAnotherLogManagerIsLogged() {
    try (ChildParley p = ChildParley.start(dir, env(Map.of("PARLEY_DATA_DIR", dir.resolve("data").toString())),
        List.of("-Djava.util.logging.manager=java.util.logging.LogManager"))) {
      assertEquals(200, new Http(port(p)).get("/health", null).status(), p.output());
      p.terminate(EXIT);
      assertTrue(p.output().contains("Parley stopped"), p.output());
      // at the configured levels: the wire server's INFO lines (a line for each connection it closes) stay out,
      // and a normal stop gives it nothing to warn of
      assertFalse(p.output().contains("de.bwaldvogel"), p.output());
    }
  }

  /** What stands between {@code java} and {@code -jar} in the Dockerfile's exec-form ENTRYPOINT. */
  private static List<String> imageJvmOptions(String dockerfile) {
    Matcher entry = Pattern.compile("(?m)^ENTRYPOINT\\s*\\[(.*)]\\s*$").matcher(dockerfile);
    assertTrue(entry.find(), "no exec-form ENTRYPOINT in the Dockerfile");
    List<String> words = new ArrayList<>();
    Matcher word = Pattern.compile("\"([^\"]*)\"").matcher(entry.group(1));
    while (word.find()) words.add(word.group(1));
    assertEquals("java", words.get(0), "the image starts: " + words);
    return words.subList(1, words.indexOf("-jar"));
  }

  private static int port(ChildParley p) {
    Matcher m = LISTENING.matcher(p.awaitLine(l -> LISTENING.matcher(l).find(), Duration.ofSeconds(60)));
    assertTrue(m.find());
    return Integer.parseInt(m.group(1));
  }

  /** A free port and loopback only, so a test run never collides with a Parley already on 8080. */
  private static Map<String, String> env(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("PARLEY_HTTP_PORT", "0");
    env.put("PARLEY_HTTP_HOST", "127.0.0.1");
    env.putAll(extra);
    return env;
  }
}
