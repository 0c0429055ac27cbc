package io.parley.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Layers the raw configuration: the defaults shipped in the jar, then the config file, then system
 * properties {@code parley.<key>}, then environment variables {@code PARLEY_<KEY>}. Only keys that the
 * defaults know exist; a file naming another key is refused, so a typo never passes silently.
 */
public final class ConfigSource {
  static final String DEFAULTS = "/parley.properties";

  private ConfigSource() {}

  public static Map<String, String> load(Map<String, String> env, Properties system) {
    Map<String, String> values = defaults();
    String file = system.getProperty("parley.config", env.get("PARLEY_CONFIG"));
    Path path = Path.of(file != null ? file : "config/parley.properties");
    if (Files.exists(path)) {
      overlayFile(values, path);
    } else if (file != null) {
      throw new ConfigException("config file " + path.toAbsolutePath() + " does not exist");
    }
    for (String key : values.keySet()) {
      String sys = system.getProperty("parley." + key);
      if (sys != null) values.put(key, sys);
      String fromEnv = env.get(envName(key));
      if (fromEnv != null) values.put(key, fromEnv);
    }
    return values;
  }

  /** {@code http.maxBodyBytes} → {@code PARLEY_HTTP_MAX_BODY_BYTES}. */
  public static String envName(String key) {
    String snake = key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_');
    return "PARLEY_" + snake.toUpperCase(java.util.Locale.ROOT);
  }

  private static Map<String, String> defaults() {
    try (InputStream in = ConfigSource.class.getResourceAsStream(DEFAULTS)) {
      if (in == null) throw new ConfigException("built-in defaults " + DEFAULTS + " are missing from the classpath");
      return toMap(read(new java.io.InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new ConfigException("cannot read built-in defaults", e);
    }
  }

  private static void overlayFile(Map<String, String> values, Path path) {
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      for (Map.Entry<String, String> e : toMap(read(reader)).entrySet()) {
        if (!values.containsKey(e.getKey())) {
          throw new ConfigException("unknown configuration key '" + e.getKey() + "' in " + path);
        }
        values.put(e.getKey(), e.getValue());
      }
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + path + ": " + e.getMessage(), e);
    }
  }

  private static Properties read(Reader reader) throws IOException {
    Properties props = new Properties();
    props.load(reader);
    return props;
  }

  private static Map<String, String> toMap(Properties props) {
    Map<String, String> map = new LinkedHashMap<>();
    props.stringPropertyNames().stream().sorted().forEach(k -> map.put(k, props.getProperty(k).trim()));
    return map;
  }
}
