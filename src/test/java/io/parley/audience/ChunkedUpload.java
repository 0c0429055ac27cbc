package io.parley.audience;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;

/**
 * Sends a body in HTTP/1.1 chunks over a raw socket while reading the answer, so a test sees a status
 * the server gives before the body is complete (a client library may report only the broken pipe).
 */
final class ChunkedUpload {
  record Answer(int status, String head) {}

  private ChunkedUpload() {}

  static Answer send(int port, String path, String token, String contentType, int lines, IntFunction<String> line)
      throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      Thread writer = new Thread(() -> write(socket, path, token, contentType, lines, line));
      writer.setDaemon(true);
      writer.start();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder head = new StringBuilder();
      for (String l = in.readLine(); l != null && !l.isEmpty(); l = in.readLine()) head.append(l).append('\n');
      return new Answer(Integer.parseInt(head.toString().split(" ")[1]), head.toString());
    }
  }

  private static void write(Socket socket, String path, String token, String contentType, int lines,
      IntFunction<String> line) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
          + "\r\nContent-Type: " + contentType + "\r\nTransfer-Encoding: chunked\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < lines; i++) {
        byte[] chunk = line.apply(i).getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(chunk);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException ignored) {
      // the server answered and closed the connection: what the test checks
    }
  }
}
