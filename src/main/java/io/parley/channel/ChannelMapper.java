package io.parley.channel;

import io.parley.channel.telegram.BotCheck;
import io.parley.http.ApiError;
import io.parley.http.Fields;
import io.parley.resource.Prepared;
import io.parley.resource.ResourceEndpoints;
import io.parley.resource.ResourceMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import org.bson.Document;

/** Channel JSON ⇄ channel document. Secrets go in, never out: answers list only which are set. */
final class ChannelMapper implements ResourceMapper {
  private static final String[] FIELDS = {"type", "name", "settings"};

  private final Vertx vertx;

  ChannelMapper(Vertx vertx) {
    this.vertx = vertx;
  }

  /** A Telegram channel's token is checked with the Bot API, which also names the bot (for deep links). */
  @Override
  public Future<Prepared> verify(Prepared prepared) {
    return Platform.TELEGRAM.wire().equals(prepared.fields().getString("type"))
        ? BotCheck.verify(vertx, prepared) : Future.succeededFuture(prepared);
  }

  @Override
  public Prepared validate(JsonObject input) {
    Fields f = Fields.of(input, FIELDS);
    Platform type = f.enumValue("type", Platform.class);
    String name = f.string("name", 1, 200);
    ChannelSettings.Parsed parsed = ChannelSettings.read(type, f);
    Prepared prepared = Prepared.of(new Document("type", type.wire()).append("name", name)
        .append("settings", parsed.settings()).append("secrets", parsed.secrets()));
    return parsed.generatedSecret() == null ? prepared : prepared.reveal("secret", parsed.generatedSecret());
  }

  @Override
  public Prepared create(JsonObject body) {
    Prepared prepared = validate(body);
    Platform type = platform(prepared.fields());
    return prepared.with("state", ChannelState.ACTIVE.wire()).with("capabilities",
        new Document("incoming", true).append("outgoing", type.opensDialogues()));
  }

  @Override
  public Prepared patch(Document stored, JsonObject body) {
    Fields.of(body, FIELDS);
    Platform type = platform(stored);
    if (body.containsKey("type") && !type.wire().equals(body.getValue("type"))) {
      throw ApiError.conflict("immutable", "a channel's type cannot change; create a new channel instead", "type");
    }
    if (body.getValue("settings") instanceof JsonObject settings) {
      for (String secret : ChannelSettings.SECRETS.get(type)) {
        if (settings.containsKey(secret) && settings.getValue(secret) == null) {
          throw ApiError.invalid("settings." + secret, "settings." + secret
              + " is write-only: it can be replaced with a new value, not removed");
        }
      }
    }
    Prepared patched = ResourceMapper.super.patch(stored, body);
    // A channel the engine stopped for refused credentials runs again once the marketer edits its settings.
    boolean fixed = ChannelState.AUTH_FAILED.wire().equals(stored.getString("state")) && body.containsKey("settings");
    return fixed ? patched.with("state", ChannelState.ACTIVE.wire()).with("stateReason", null) : patched;
  }

  @Override
  public JsonObject editable(Document stored) {
    JsonObject settings = new JsonObject(new LinkedHashMap<>(stored.get("settings", Document.class)));
    settings.remove("botUsername"); // learnt from Telegram at each check, not an input
    stored.get("secrets", Document.class).forEach(settings::put);
    return new JsonObject().put("type", stored.getString("type")).put("name", stored.getString("name"))
        .put("settings", settings);
  }

  @Override
  public JsonObject toJson(Document stored) {
    Document capabilities = stored.get("capabilities", Document.class);
    return ResourceEndpoints.base(stored)
        .put("type", stored.getString("type"))
        .put("name", stored.getString("name"))
        .put("state", stored.getString("state"))
        .put("stateReason", stored.getString("stateReason"))
        .put("capabilities", new JsonObject().put("incoming", capabilities.getBoolean("incoming"))
            .put("outgoing", capabilities.getBoolean("outgoing")))
        .put("settings", new JsonObject(new LinkedHashMap<>(stored.get("settings", Document.class))))
        .put("secretsSet", new JsonArray(stored.get("secrets", Document.class).keySet().stream().sorted().toList()));
  }

  private static Platform platform(Document fields) {
    return Platform.valueOf(fields.getString("type").toUpperCase(Locale.ROOT));
  }
}
