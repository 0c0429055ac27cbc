package io.parley.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.support.GeneratedLines;
import io.parley.support.Http;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One streamed request of 200,000 lines, generated while it is sent, never held whole on either side. */
class AudienceLargeUploadTest {
  static final int LINES = 200_000;
  static TestParley parley;

  @BeforeAll
  static void start() {
    parley = TestParley.start();
  }

  @AfterAll
  static void stop() {
    parley.close();
  }

  /** Line i: a unique WhatsApp number, except that each thousand ends with a repeat and a bad line. */
  static String line(int i) {
    if (i % 1000 == 999) return "not a number " + i + "\n";
    int n = i % 1000 == 998 ? i - 1 : i;
    return "+7 912 " + String.format("%07d", n) + "\n";
  }

  @Test
  void twoHundredThousandLinesInOneRequest() {
    AudienceFixture fixture = new AudienceFixture(parley.parley().app());
    String task = fixture.outgoingTask("whatsapp");
    HttpRequest.Builder request = parley.http().builder("/api/tasks/" + task + "/audience", parley.token("marketer"))
        .header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new GeneratedLines(LINES, AudienceLargeUploadTest::line)));
    // HTTP/1.1 as curl --data-binary @file would send it (the JDK client would otherwise try h2c)
    request.version(java.net.http.HttpClient.Version.HTTP_1_1);
    long started = System.nanoTime();
    Http.Response r = parley.http().send(request);
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertEquals(200, r.status(), r.toString());
    JsonObject report = r.json();
    assertEquals(LINES - 400, report.getLong("accepted"));
    assertEquals(200, report.getLong("duplicates"));
    assertEquals(200, report.getLong("rejectedTotal"));
    assertEquals(LINES - 400, fixture.entries(task));
    assertEquals(LINES - 400, fixture.pending(task));
    assertTrue(millis < 60_000, "took " + millis + " ms");
  }
}
