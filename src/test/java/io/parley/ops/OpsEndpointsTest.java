package io.parley.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.support.Http;
import io.parley.support.Poll;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpsEndpointsTest {
  static TestParley parley;
  static Http http;

  @BeforeAll
  static void start() {
    parley = TestParley.start(TestParley.tempDir(), Map.of("metrics.refreshSeconds", "1"), Clock.systemUTC());
    http = parley.http();
  }

  @AfterAll
  static void stop() {
    parley.close();
  }

  @Test
  void healthIsUpWithoutAToken() {
    Http.Response r = http.get("/health", null);
    assertEquals(200, r.status(), r.toString());
    assertEquals(new JsonObject().put("status", "UP"), r.json());
  }

  @Test
  void readyWhenMongoAnswers() {
    Http.Response r = http.get("/ready", null);
    assertEquals(200, r.status(), r.toString());
    assertEquals("UP", r.json().getString("status"));
    JsonObject check = r.json().getJsonArray("checks").getJsonObject(0);
    assertEquals("mongodb", check.getString("id"));
    assertEquals("UP", check.getString("status"));
  }

  @Test
  void metricsCountTasksByStatusFromTheStore() throws Exception {
    insertTasks("awaiting", 3);
    insertTasks("paused", 1);
    String text = Poll.until("parley_tasks to count the inserted tasks", Duration.ofSeconds(15),
        () -> http.get("/metrics", null).body(),
        body -> body.contains("parley_tasks{status=\"awaiting\"} 3.0")
            && body.contains("parley_tasks{status=\"paused\"} 1.0"));
    assertTrue(text.contains("parley_tasks{status=\"in_progress\"} 0.0"), "every status has its gauge");
    assertTrue(text.contains("parley_tasks{status=\"completed\"} 0.0"));
  }

  @Test
  void metricsAreThePrometheusTextWithVertxHttpServerMeters() {
    assertEquals(200, http.get("/health", null).status());
    Http.Response r = http.get("/metrics", null);
    assertEquals(200, r.status());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers().toString());
    assertTrue(r.body().contains("# TYPE vertx_http_server_requests_total counter"), r.body());
    assertTrue(r.body().lines().anyMatch(l -> l.startsWith("vertx_http_server_requests_total{")
        && l.contains("code=\"200\"") && l.contains("method=\"GET\"")), r.body());
  }

  private static void insertTasks(String status, int n) throws Exception {
    List<Document> docs = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) docs.add(new Document("_id", Ids.newId()).append("name", "t" + i).append("status", status));
    io.parley.store.Rx.done(parley.parley().app().store().collection(Collections.TASKS).insertMany(docs))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
