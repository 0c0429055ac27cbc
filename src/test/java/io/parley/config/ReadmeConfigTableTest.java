package io.parley.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The README's configuration table stays in step with config/parley.properties. */
class ReadmeConfigTableTest {
  @Test
  void everyKeyIsDocumentedWithItsEnvironmentVariableAndDefault() throws IOException {
    Properties defaults = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of("config/parley.properties"))) {
      defaults.load(in);
    }
    String readme = Files.readString(Path.of("README.md"));
    List<String> missing = new ArrayList<>();
    for (String key : defaults.stringPropertyNames()) {
      String value = defaults.getProperty(key).trim();
      String row = "| `" + key + "` | `" + ConfigSource.envName(key) + "` | "
          + (value.isEmpty() ? "(empty)" : "`" + value + "`") + " |";
      if (!readme.contains(row)) missing.add(row);
    }
    assertEquals(List.of(), missing);
  }
}
