package io.parley.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.support.Http;
import io.parley.support.TestParley;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
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
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new GeneratedLines(LINES)));
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

  /** The body, produced line by line as the client reads it. */
  static final class GeneratedLines extends InputStream {
    private final int lines;
    private int next;
    private byte[] current = new byte[0];
    private int pos;

    GeneratedLines(int lines) {
      this.lines = lines;
    }

    @Override
    public int read() {
      if (!fill()) return -1;
      return current[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) return 0;
      int copied = 0;
      while (copied < len && fill()) {
        int n = Math.min(len - copied, current.length - pos);
        System.arraycopy(current, pos, b, off + copied, n);
        pos += n;
        copied += n;
      }
      return copied == 0 ? -1 : copied;
    }

    private boolean fill() {
      if (pos < current.length) return true;
      if (next >= lines) return false;
      current = line(next++).getBytes(StandardCharsets.US_ASCII);
      pos = 0;
      return true;
    }
  }
}
