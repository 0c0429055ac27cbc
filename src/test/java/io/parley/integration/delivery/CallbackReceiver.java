package io.parley.integration.delivery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An integration's endpoint on 127.0.0.1 (the JDK's own HTTP server, nothing of Parley's): it checks every
 * callback's signature with {@link SpecVerifier}, records it, and answers from a script (then 200).
 */
final class CallbackReceiver implements AutoCloseable {
  record Received(String id, String timestamp, String signature, String body, boolean verified, long at) {}

  record Answer(int status, Map<String, String> headers, String body) {
    static Answer of(int status) {
      return new Answer(status, Map.of(), "status " + status);
    }
  }

  private final HttpServer server;
  private final Clock clock;
  private final Deque<Answer> script = new ArrayDeque<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile SpecVerifier verifier;
  private volatile Answer fallback = Answer.of(200);

  CallbackReceiver(Clock clock) throws IOException {
    this.clock = clock;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  void secret(String secret) {
    verifier = new SpecVerifier(secret);
  }

  synchronized CallbackReceiver then(Answer answer) {
    script.add(answer);
    return this;
  }

  void otherwise(Answer answer) {
    fallback = answer;
  }

  List<Received> received() {
    return received;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    var h = exchange.getRequestHeaders();
    long now = clock.instant().getEpochSecond();
    String id = h.getFirst("webhook-id");
    String ts = h.getFirst("webhook-timestamp");
    String sig = h.getFirst("webhook-signature");
    boolean ok = verifier != null && verifier.verify(id, ts, sig, body, now);
    received.add(new Received(id, ts, sig, body, ok, now));
    Answer answer;
    synchronized (this) {
      answer = !ok ? new Answer(401, Map.of(), "bad signature") : script.isEmpty() ? fallback : script.poll();
    }
    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(out);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
