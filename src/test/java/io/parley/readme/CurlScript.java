package io.parley.readme;

import io.parley.support.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the subset of shell that the README's walkthrough is written in: {@code curl} commands, optionally
 * captured as {@code NAME=$(curl ... | jq -r .path)}, with shell quoting and {@code $VAR} expansion.
 * Each request goes to a real Parley over HTTP; each must answer 2xx.
 */
final class CurlScript {
  record Step(String command, int status, String body) {}

  private final Http http;
  private final Map<String, String> vars = new LinkedHashMap<>();

  CurlScript(Http http, Map<String, String> initial) {
    this.http = http;
    this.vars.putAll(initial);
  }

  List<Step> run(String script) {
    List<Step> steps = new ArrayList<>();
    for (String command : commands(script)) {
      if (command.startsWith("export ")) continue; // the test sets PARLEY and TOKEN itself
      Step step = execute(command);
      if (step != null) steps.add(step);
    }
    return steps;
  }

  String var(String name) {
    return vars.get(name);
  }

  private Step execute(String command) {
    int assign = command.indexOf('=');
    if (assign > 0 && command.substring(0, assign).matches("[A-Z_][A-Z0-9_]*") && !command.startsWith("$(", assign + 1)) {
      vars.put(command.substring(0, assign), String.join(" ", words(command.substring(assign + 1))));
      return null;
    }
    String capture = null;
    String jqPath = null;
    String curl = command;
    int eq = command.indexOf("=$(");
    if (eq > 0 && command.substring(0, eq).matches("[A-Z_][A-Z0-9_]*")) {
      capture = command.substring(0, eq);
      String inner = command.substring(eq + 3, command.lastIndexOf(')'));
      int pipe = inner.lastIndexOf("| jq -r ");
      if (pipe < 0) throw new IllegalArgumentException("a capture must pipe into jq -r: " + command);
      curl = inner.substring(0, pipe).trim();
      jqPath = inner.substring(pipe + "| jq -r ".length()).trim();
    } else if (command.contains(" | jq")) {
      curl = command.substring(0, command.indexOf(" | jq")); // jq only pretty-prints here
    }
    List<String> words = words(curl);
    if (!words.get(0).equals("curl")) throw new IllegalArgumentException("only curl is supported: " + command);
    Http.Response response = http.send(request(words));
    if (capture != null) vars.put(capture, jq(response.body(), jqPath));
    return new Step(command, response.status(), response.body());
  }

  private HttpRequest.Builder request(List<String> words) {
    String method = null;
    String url = null;
    String data = null;
    HttpRequest.Builder b = HttpRequest.newBuilder();
    for (int i = 1; i < words.size(); i++) {
      String w = words.get(i);
      switch (w) {
        case "-s", "-S", "-sS", "-f", "-fsS", "--silent", "--fail" -> { }
        case "-X", "--request" -> method = words.get(++i);
        case "-H", "--header" -> {
          String[] kv = words.get(++i).split(":\\s*", 2);
          b.header(kv[0], kv[1]);
        }
        case "-d", "--data", "--data-binary", "--data-raw" -> data = words.get(++i);
        default -> {
          if (w.startsWith("-")) throw new IllegalArgumentException("unsupported curl option " + w);
          url = w;
        }
      }
    }
    if (method == null) method = data == null ? "GET" : "POST";
    b.uri(URI.create(url)).method(method, data == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(data));
    return b;
  }

  /**
   * Splits the script into commands: a command goes on past a line ending in a backslash or inside an
   * open quote (JSON bodies span lines); comments outside quotes and blank lines are dropped.
   */
  static List<String> commands(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String t = current.length() == 0 ? line.strip() : line;
      if (current.length() == 0 && (t.isEmpty() || t.startsWith("#"))) continue;
      current.append(t);
      if (openQuote(current)) {
        current.append('\n');
      } else if (t.endsWith("\\")) {
        current.setLength(current.length() - 1);
        current.append(' ');
      } else {
        out.add(stripComment(current.toString()).strip());
        current.setLength(0);
      }
    }
    return out;
  }

  private static boolean openQuote(CharSequence s) {
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote == 0 && (c == '\'' || c == '"')) quote = c;
      else if (quote == '"' && c == '\\') i++;
      else if (c == quote) quote = 0;
    }
    return quote != 0;
  }

  /** Drops a trailing {@code # comment} that is outside quotes. */
  private static String stripComment(String command) {
    char quote = 0;
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (quote == 0 && (c == '\'' || c == '"')) quote = c;
      else if (c == quote) quote = 0;
      else if (quote == 0 && c == '#' && i > 0 && Character.isWhitespace(command.charAt(i - 1))) return command.substring(0, i);
    }
    return command;
  }

  /** POSIX-style word splitting: '...' literal, $'...' with \\n escapes, "..." with $VAR expansion, adjacent parts joined. */
  List<String> words(String s) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'') {
        int end = s.indexOf('\'', i + 1);
        w.append(s, i + 1, end);
        i = end;
        inWord = true;
      } else if (c == '"') {
        int end = i + 1;
        while (s.charAt(end) != '"') end += s.charAt(end) == '\\' ? 2 : 1;
        w.append(expand(s.substring(i + 1, end).replace("\\\"", "\"")));
        i = end;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) words.add(w.toString());
        w.setLength(0);
        inWord = false;
      } else if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '\'') {
        int end = i + 2;
        while (s.charAt(end) != '\'') end += s.charAt(end) == '\\' ? 2 : 1;
        w.append(s.substring(i + 2, end).replace("\\n", "\n").replace("\\t", "\t").replace("\\'", "'"));
        i = end;
        inWord = true;
      } else if (c == '$') {
        int end = i + 1;
        boolean braced = s.charAt(end) == '{';
        if (braced) end++;
        int start = end;
        while (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_')) end++;
        w.append(value(s.substring(start, end)));
        i = braced ? end : end - 1;
        inWord = true;
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (inWord) words.add(w.toString());
    return words;
  }

  private String expand(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != '$') {
        out.append(s.charAt(i));
        continue;
      }
      int end = i + 1;
      boolean braced = end < s.length() && s.charAt(end) == '{';
      if (braced) end++;
      int start = end;
      while (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_')) end++;
      out.append(value(s.substring(start, end)));
      i = braced ? end : end - 1;
    }
    return out.toString();
  }

  private String value(String name) {
    String v = vars.get(name);
    if (v == null) throw new IllegalArgumentException("the walkthrough uses $" + name + " before setting it");
    return v;
  }

  /** The part of jq this walkthrough needs: {@code .a.b[0].c}. */
  static String jq(String json, String path) {
    Object current = json.trim().startsWith("[") ? new JsonArray(json) : new JsonObject(json);
    for (String part : path.substring(1).split("\\.")) {
      if (part.isEmpty()) continue;
      String key = part.contains("[") ? part.substring(0, part.indexOf('[')) : part;
      if (!key.isEmpty()) current = ((JsonObject) current).getValue(key);
      if (part.contains("[")) {
        int index = Integer.parseInt(part.substring(part.indexOf('[') + 1, part.indexOf(']')));
        current = ((JsonArray) current).getValue(index);
      }
    }
    return String.valueOf(current);
  }
}
