package io.parley.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/** Parley's configuration, bound from {@link ConfigSource} and validated once at start-up. */
public record ParleyConfig(
    String httpHost,
    int httpPort,
    long maxBodyBytes,
    String publicUrl,
    Optional<String> mongoUri,
    String mongoDatabase,
    int mongoConnectTimeoutSeconds,
    Path dataDir,
    String embeddedHost,
    int embeddedPort,
    int embeddedCacheMb,
    boolean embeddedSync,
    Optional<String> adminToken,
    long audienceMaxUploadBytes,
    int audienceMaxRejectedReported,
    int audienceBatchSize,
    int metricsRefreshSeconds,
    Dispatch dispatch,
    Dialogues dialogues,
    WhatsApp whatsapp,
    Callbacks callbacks,
    FollowUps followUps,
    Telegram telegram,
    Conversation conversation) {

  /** The dispatcher's settings (see config/parley.properties). */
  public record Dispatch(boolean enabled, int leaseSeconds, int refreshSeconds, int idleRecheckSeconds,
      int maxAttempts, int claimAheadMillis) {}

  /** Managers' dialogues: handover timeouts, unanswered dialogues, reply retries (see config/parley.properties). */
  public record Dialogues(int handoverTimeoutMinutes, String afterHandoverTimeout, int noAnswerAfterHours,
      int watchSeconds, int replyAttempts) {}

  /** The WhatsApp Cloud API channel's settings shared by every WhatsApp number. */
  public record WhatsApp(int messagesPerSecond) {}

  /** Integration callbacks' settings (see config/parley.properties). */
  public record Callbacks(boolean enabled, int timeoutSeconds, int rescanSeconds) {}

  /** Managers' follow-up tasks (see config/parley.properties). */
  public record FollowUps(int checkSeconds) {}

  /** The Telegram channels' settings (see config/parley.properties, {@code telegram.*}). */
  public record Telegram(boolean receiveUpdates, int messagesPerSecond, int perChatIntervalMillis,
      int pollTimeoutSeconds, int requestTimeoutSeconds, int refreshSeconds) {}

  /** Routing replies and the AI responder (see config/parley.properties, group conversation). */
  public record Conversation(boolean enabled, long burstWindowMillis, java.util.List<String> stopWords,
      String optOutReply, int responders, int historyMessages, int aiTimeoutSeconds, int aiMaxAttempts,
      long aiBackoffMillis, int sendMaxAttempts, int replyLeaseSeconds, int heartbeatSeconds) {
    /**
     * How long a process may go without a heartbeat before the bursts it claimed are answered by the others
     * ({@code conversation.heartbeatSeconds}, three beats).
     */
    public java.time.Duration silenceBeforeRelease() {
      return java.time.Duration.ofSeconds(3L * heartbeatSeconds);
    }

    /** The longest an AI reply may take: every attempt timing out, with the backoff between them. */
    public java.time.Duration longestAiReply() {
      return java.time.Duration.ofMillis(longestAiMillis(aiMaxAttempts, aiTimeoutSeconds, aiBackoffMillis));
    }

    private static long longestAiMillis(int attempts, int timeoutSeconds, long backoffMillis) {
      return attempts * timeoutSeconds * 1000L + backoffMillis * ((1L << Math.min(attempts - 1, 20)) - 1);
    }

    /** A claim shorter than the AI's own longest reply could be taken over while that reply is written. */
    public Conversation {
      long longestAiMillis = longestAiMillis(aiMaxAttempts, aiTimeoutSeconds, aiBackoffMillis);
      if (replyLeaseSeconds * 1000L <= longestAiMillis) {
        throw new ConfigException("conversation.replyLeaseSeconds (" + replyLeaseSeconds + ") must be longer than the"
            + " longest AI reply: " + aiMaxAttempts + " calls of up to conversation.aiTimeoutSeconds (" + aiTimeoutSeconds
            + " s) with conversation.aiBackoffMillis (" + aiBackoffMillis + " ms) doubling between them, "
            + (longestAiMillis + 999) / 1000 + " s");
      }
    }
  }

  public static ParleyConfig fromEnvironment() {
    return from(ConfigSource.load(System.getenv(), System.getProperties()));
  }

  public static ParleyConfig from(Map<String, String> raw) {
    Reader r = new Reader(raw);
    return new ParleyConfig(
        r.text("http.host"),
        r.integer("http.port", 0, 65535),
        r.longValue("http.maxBodyBytes", 1024, Integer.MAX_VALUE),
        r.text("http.publicUrl"),
        r.optional("mongo.uri"),
        r.nonEmpty("mongo.database"),
        r.integer("mongo.connectTimeoutSeconds", 1, 600),
        Path.of(r.nonEmpty("data.dir")),
        r.nonEmpty("embedded.host"),
        r.integer("embedded.port", 0, 65535),
        r.integer("embedded.cacheMb", 1, 65_536),
        r.bool("embedded.sync"),
        r.optional("admin.token"),
        r.longValue("audience.maxUploadBytes", 1024, Long.MAX_VALUE),
        r.integer("audience.maxRejectedReported", 0, 1_000_000),
        r.integer("audience.batchSize", 1, 100_000),
        r.integer("metrics.refreshSeconds", 1, 3600),
        new Dispatch(r.bool("dispatch.enabled"), r.integer("dispatch.leaseSeconds", 3, 3600),
            r.integer("dispatch.refreshSeconds", 1, 3600), r.integer("dispatch.idleRecheckSeconds", 1, 3600),
            r.integer("dispatch.maxAttempts", 1, 100), r.integer("dispatch.claimAheadMillis", 0, 1000)),
        new Dialogues(r.integer("dialogue.handoverTimeoutMinutes", 0, 10_080),
            r.oneOf("dialogue.afterHandoverTimeout", "ai", "stay"), r.integer("dialogue.noAnswerAfterHours", 0, 8_760),
            r.integer("dialogue.watchSeconds", 1, 3600), r.integer("dialogue.replyAttempts", 1, 100)),
        new WhatsApp(r.integer("whatsapp.messagesPerSecond", 1, 1000)),
        new Callbacks(r.bool("callbacks.enabled"), r.integer("callbacks.timeoutSeconds", 1, 300),
            r.integer("callbacks.rescanSeconds", 10, 86400)),
        new FollowUps(r.integer("followup.checkSeconds", 1, 86_400)),
        new Telegram(r.bool("telegram.receiveUpdates"), r.integer("telegram.messagesPerSecond", 1, 1000),
            r.integer("telegram.perChatIntervalMillis", 0, 60_000), r.integer("telegram.pollTimeoutSeconds", 1, 50),
            r.integer("telegram.requestTimeoutSeconds", 1, 300), r.integer("telegram.refreshSeconds", 1, 3600)),
        new Conversation(r.bool("conversation.enabled"), r.longValue("conversation.burstWindowMillis", 0, 600_000),
            r.list("conversation.stopWords"), r.nonEmpty("conversation.optOutReply"),
            r.integer("conversation.responders", 1, 64), r.integer("conversation.historyMessages", 1, 200),
            r.integer("conversation.aiTimeoutSeconds", 1, 600), r.integer("conversation.aiMaxAttempts", 1, 20),
            r.longValue("conversation.aiBackoffMillis", 1, 600_000), r.integer("conversation.sendMaxAttempts", 1, 100),
            r.integer("conversation.replyLeaseSeconds", 10, 86_400), r.integer("conversation.heartbeatSeconds", 1, 3600)));
  }

  /** Test and embedding convenience: the defaults with some keys replaced. */
  public static ParleyConfig withOverrides(Map<String, String> overrides) {
    Map<String, String> raw = ConfigSource.load(Map.of(), new Properties());
    for (var e : overrides.entrySet()) {
      if (!raw.containsKey(e.getKey())) throw new ConfigException("unknown configuration key '" + e.getKey() + "'");
      raw.put(e.getKey(), e.getValue());
    }
    return from(raw);
  }

  public String baseUrl(int actualPort) {
    return publicUrl.isEmpty() ? "http://localhost:" + actualPort : publicUrl.replaceAll("/+$", "");
  }

  private record Reader(Map<String, String> raw) {
    String text(String key) {
      String v = raw.get(key);
      if (v == null) throw new ConfigException("configuration key '" + key + "' is missing");
      return v.trim();
    }

    String nonEmpty(String key) {
      String v = text(key);
      if (v.isEmpty()) throw invalid(key, v, "must not be empty");
      return v;
    }

    Optional<String> optional(String key) {
      String v = text(key);
      return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    /** Comma-separated, each item trimmed, empty items dropped. */
    java.util.List<String> list(String key) {
      return java.util.Arrays.stream(text(key).split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    boolean bool(String key) {
      String v = text(key);
      if (v.equals("true")) return true;
      if (v.equals("false")) return false;
      throw invalid(key, v, "must be true or false");
    }

    String oneOf(String key, String... allowed) {
      String v = text(key);
      if (!java.util.Arrays.asList(allowed).contains(v)) throw invalid(key, v, "must be one of " + String.join(", ", allowed));
      return v;
    }

    int integer(String key, int min, int max) {
      return (int) longValue(key, min, max);
    }

    long longValue(String key, long min, long max) {
      String v = text(key);
      long n;
      try {
        n = Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw invalid(key, v, "must be a whole number");
      }
      if (n < min || n > max) throw invalid(key, v, "must be between " + min + " and " + max);
      return n;
    }

    private ConfigException invalid(String key, String value, String why) {
      return new ConfigException("invalid configuration " + key + "='" + value + "' (set by " + key
          + " or " + ConfigSource.envName(key) + "): " + why);
    }
  }
}
