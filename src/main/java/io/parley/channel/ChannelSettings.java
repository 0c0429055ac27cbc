package io.parley.channel;

import io.parley.http.ApiError;
import io.parley.http.Fields;
import io.parley.resource.Values;
import io.parley.resource.WebhookSecrets;
import io.parley.token.Secrets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bson.Document;

/**
 * The settings each platform's channel needs, validated and split: {@code settings} may be shown,
 * {@code secrets} are write-only. Defaults point at the platforms' real addresses.
 */
final class ChannelSettings {
  private static final Pattern BOT_TOKEN = Pattern.compile("\\d+:[A-Za-z0-9_-]+");
  // Telegram accepts only these characters in X-Telegram-Bot-Api-Secret-Token.
  private static final Pattern TELEGRAM_SECRET = Pattern.compile("[A-Za-z0-9_-]{1,256}");
  private static final Pattern DIGITS = Pattern.compile("\\d+");
  private static final Pattern API_VERSION = Pattern.compile("v\\d+\\.\\d+");
  private static final List<String> TIERS = List.of("250", "2000", "10000", "100000", "unlimited");
  private static final int SECRET_MAX = 4096;
  private static final List<String> WHATSAPP_PRICE_CATEGORIES = List.of("marketing", "utility", "authentication", "service");

  static final Map<Platform, List<String>> FIELDS = Map.of(
      Platform.TELEGRAM, List.of("botToken", "mode", "webhookSecret", "apiUrl"),
      Platform.WHATSAPP, List.of("phoneNumberId", "accessToken", "appSecret", "verifyToken", "apiUrl", "apiVersion",
          "messagingTier", "prices"),
      Platform.WEB, List.of("callbackUrl", "secret"),
      Platform.VK, List.of("accessToken", "groupId", "apiUrl"),
      Platform.AVITO, List.of("clientId", "clientSecret", "apiUrl"),
      Platform.INSTAGRAM, List.of("accessToken", "apiUrl"));

  static final Map<Platform, List<String>> SECRETS = Map.of(
      Platform.TELEGRAM, List.of("botToken", "webhookSecret"),
      Platform.WHATSAPP, List.of("accessToken", "appSecret", "verifyToken"),
      Platform.WEB, List.of("secret"),
      Platform.VK, List.of("accessToken"),
      Platform.AVITO, List.of("clientSecret"),
      Platform.INSTAGRAM, List.of("accessToken"));

  /** @param generatedSecret a web channel's signing secret made here, to be shown once; else null */
  record Parsed(Document settings, Document secrets, String generatedSecret) {}

  private ChannelSettings() {}

  static Parsed read(Platform type, Fields channel) {
    Fields s = channel.object("settings", FIELDS.get(type).toArray(String[]::new));
    Parsed p = new Parsed(new Document(), new Document(), null);
    return switch (type) {
      case TELEGRAM -> telegram(s, p);
      case WHATSAPP -> whatsapp(s, p);
      case WEB -> web(s, p);
      case VK -> vk(s, p);
      case AVITO -> avito(s, p);
      case INSTAGRAM -> instagram(s, p);
    };
  }

  private static Parsed telegram(Fields s, Parsed p) {
    p.secrets().put("botToken", Values.matching(s, "botToken", 200, BOT_TOKEN,
        "a bot token as @BotFather gives it (digits, a colon, then letters, digits, _ or -)"));
    String mode = Values.oneOf(s, "mode", List.of("polling", "webhook"), "polling");
    p.settings().append("mode", mode).append("apiUrl", Values.url(s, "apiUrl", "https://api.telegram.org"));
    Values.optionalMatching(s, "webhookSecret", 256, TELEGRAM_SECRET, "1 to 256 characters of A-Z, a-z, 0-9, _ and -")
        .or(() -> mode.equals("webhook") ? Optional.of(Secrets.randomUrlSafe(32)) : Optional.empty())
        .ifPresent(secret -> p.secrets().put("webhookSecret", secret));
    return p;
  }

  private static Parsed whatsapp(Fields s, Parsed p) {
    p.settings().append("phoneNumberId", Values.matching(s, "phoneNumberId", 30, DIGITS, "digits only"))
        .append("apiUrl", Values.url(s, "apiUrl", "https://graph.facebook.com"))
        .append("apiVersion", Values.optionalMatching(s, "apiVersion", 20, API_VERSION, "like v23.0").orElse("v23.0"));
    String tier = messagingTier(s);
    if (tier != null) p.settings().put("messagingTier", tier);
    Document prices = whatsappPrices(s);
    if (prices != null) p.settings().put("prices", prices);
    for (String secret : List.of("accessToken", "appSecret", "verifyToken")) {
      p.secrets().put(secret, s.string(secret, 1, SECRET_MAX));
    }
    return p;
  }

  /**
   * What one delivered message costs per Meta pricing category, in USD, kept as exact decimal strings
   * (the WhatsApp channel adds them to the dialogue's spend); a category left out costs nothing.
   */
  private static Document whatsappPrices(Fields s) {
    Optional<Fields> prices = s.optionalObject("prices", WHATSAPP_PRICE_CATEGORIES.toArray(String[]::new));
    if (prices.isEmpty()) return null;
    Document out = new Document();
    for (String category : WHATSAPP_PRICE_CATEGORIES) {
      prices.get().optionalDecimal(category, java.math.BigDecimal.ZERO, new java.math.BigDecimal("1000"), 6)
          .ifPresent(price -> out.put(category, price.toPlainString()));
    }
    return out;
  }

  /** Accepted as a number or a string, since {@code 250} and {@code "unlimited"} share the field. */
  private static String messagingTier(Fields s) {
    Object v = s.value("messagingTier");
    if (v == null) return null;
    if (!(v instanceof Number) && !(v instanceof String)) {
      throw new ApiError(400, "wrong_type", s.path("messagingTier") + " must be a number or \"unlimited\"",
          s.path("messagingTier"));
    }
    String tier = v.toString().trim();
    if (!TIERS.contains(tier)) {
      throw ApiError.invalid(s.path("messagingTier"), s.path("messagingTier") + " must be one of " + String.join(", ", TIERS));
    }
    return tier;
  }

  private static Parsed web(Fields s, Parsed p) {
    p.settings().put("callbackUrl", Values.url(s, "callbackUrl"));
    String given = s.optionalString("secret", 1, SECRET_MAX).orElse(null);
    if (given != null && !WebhookSecrets.isValid(given)) {
      throw ApiError.invalid(s.path("secret"), s.path("secret") + " must be whsec_ followed by 24 to 64 base64-encoded bytes");
    }
    String secret = given != null ? given : WebhookSecrets.generate();
    p.secrets().put("secret", secret);
    return new Parsed(p.settings(), p.secrets(), given == null ? secret : null);
  }

  private static Parsed vk(Fields s, Parsed p) {
    p.secrets().put("accessToken", s.string("accessToken", 1, SECRET_MAX));
    Values.optionalMatching(s, "groupId", 30, DIGITS, "digits only").ifPresent(g -> p.settings().put("groupId", g));
    p.settings().put("apiUrl", Values.url(s, "apiUrl", "https://api.vk.com"));
    return p;
  }

  private static Parsed avito(Fields s, Parsed p) {
    p.settings().append("clientId", s.string("clientId", 1, 200))
        .append("apiUrl", Values.url(s, "apiUrl", "https://api.avito.ru"));
    p.secrets().put("clientSecret", s.string("clientSecret", 1, SECRET_MAX));
    return p;
  }

  private static Parsed instagram(Fields s, Parsed p) {
    p.secrets().put("accessToken", s.string("accessToken", 1, SECRET_MAX));
    p.settings().put("apiUrl", Values.url(s, "apiUrl", "https://graph.facebook.com"));
    return p;
  }
}
