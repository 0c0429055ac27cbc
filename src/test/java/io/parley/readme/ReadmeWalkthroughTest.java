package io.parley.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.support.TestParley;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's curl walkthrough, run as written against a real Parley. */
class ReadmeWalkthroughTest {
  static final String START = "<!-- walkthrough:start -->";
  static final String END = "<!-- walkthrough:end -->";

  @Test
  void walkthroughWorksAsWritten() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int from = readme.indexOf(START);
    int to = readme.indexOf(END);
    assertTrue(from >= 0 && to > from, "README.md marks its walkthrough with " + START + " and " + END);
    String block = readme.substring(from, to);
    String script = block.substring(block.indexOf("```bash") + 7, block.lastIndexOf("```"));
    try (TestParley parley = TestParley.start()) {
      CurlScript curl = new CurlScript(parley.http(),
          Map.of("PARLEY", parley.http().base(), "TOKEN", TestParley.ADMIN));
      List<CurlScript.Step> steps = curl.run(script);
      assertFalse(steps.isEmpty());
      for (CurlScript.Step step : steps) {
        assertTrue(step.status() / 100 == 2, step.command() + "\n→ " + step.status() + " " + step.body());
      }
      CurlScript.Step last = steps.get(steps.size() - 1);
      JsonObject row = new JsonObject(last.body()).getJsonArray("items").getJsonObject(0);
      assertEquals("in_progress", row.getString("status"), "the walkthrough ends with its task running");
      assertTrue(row.getLong("remaining") > 0, "the task has its audience: " + row);
    }
  }
}
