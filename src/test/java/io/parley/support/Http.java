package io.parley.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A plain HTTP client for tests, deliberately not Vert.x: requests cross a real socket exactly as
 * curl's would, and a test reads like the walkthrough in the README.
 */
public final class Http implements AutoCloseable {
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;

  public Http(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  public record Response(int status, String body, java.net.http.HttpHeaders headers) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray items() {
      return json().getJsonArray("items");
    }

    /** The {@code error} object of an error answer. */
    public JsonObject error() {
      return json().getJsonObject("error");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public Response get(String path, String token) {
    return send(builder(path, token).GET());
  }

  public Response delete(String path, String token) {
    return send(builder(path, token).DELETE());
  }

  public Response post(String path, String token, JsonObject body) {
    return send(path, token, "POST", "application/json", body == null ? "" : body.encode());
  }

  public Response patch(String path, String token, JsonObject body) {
    return send(path, token, "PATCH", "application/json", body.encode());
  }

  public Response send(String path, String token, String method, String contentType, String body) {
    HttpRequest.Builder b = builder(path, token).method(method, HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) b.header("Content-Type", contentType);
    return send(b);
  }

  public Response send(HttpRequest.Builder builder) {
    try {
      HttpResponse<String> r = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new IllegalStateException("request failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends {@code bodyBytes} bytes of {@code filler} over a raw socket while reading the answer, as curl
   * does: a server may answer (413) before the body has been sent, and must not leave the client hanging.
   */
  public int rawStatus(String method, String path, String token, String contentType, byte[] head, long bodyBytes) {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)))) {
      socket.setSoTimeout(30_000);
      String headers = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
          + "Content-Type: " + contentType + "\r\nContent-Length: " + (head.length + bodyBytes) + "\r\n\r\n";
      Thread writer = new Thread(() -> {
        try {
          var out = socket.getOutputStream();
          out.write(headers.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          out.write(head);
          byte[] chunk = new byte[64 * 1024];
          java.util.Arrays.fill(chunk, (byte) 'x');
          for (long sent = 0; sent < bodyBytes; sent += chunk.length) {
            out.write(chunk, 0, (int) Math.min(chunk.length, bodyBytes - sent));
          }
          out.flush();
        } catch (IOException ignored) {
          // the server closed the connection after answering: exactly what is being tested
        }
      });
      writer.setDaemon(true);
      writer.start();
      var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          java.nio.charset.StandardCharsets.US_ASCII));
      String status = in.readLine();
      return Integer.parseInt(status.split(" ")[1]);
    } catch (IOException e) {
      throw new IllegalStateException("raw request failed: " + e.getMessage(), e);
    }
  }

  public HttpRequest.Builder builder(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return b;
  }

  public String base() {
    return base;
  }

  @Override
  public void close() {
    // Java 17's HttpClient holds no resources that need closing; kept for try-with-resources use.
  }
}
