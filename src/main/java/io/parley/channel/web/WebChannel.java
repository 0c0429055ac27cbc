package io.parley.channel.web;

import io.parley.channel.Channel;
import io.parley.channel.ChannelSecrets;
import io.parley.channel.OutgoingMessage;
import io.parley.channel.SendResult;
import io.parley.webhook.SignedHeaders;
import io.parley.webhook.StandardWebhooks;
import io.parley.webhook.WebhookRejected;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.bson.Document;

/**
 * The web/API channel (SPEC §7): each message is POSTed as {@code {dialogueId, to, text}} to the channel's
 * {@code callbackUrl}, signed with Standard Webhooks. The {@code webhook-id} is the message's id, so a
 * receiver recognises our retries.
 */
public final class WebChannel implements Channel {
  /**
   * How long to wait for the receiver, and the delay suggested when it failed without saying how long to
   * wait. The dispatcher may stretch that delay with its own backoff.
   */
  public record Options(Duration connectTimeout, Duration responseTimeout, Duration retryDelay) {
    public static final Options DEFAULT = new Options(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30));

    public Options {
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      Objects.requireNonNull(responseTimeout, "responseTimeout");
      Objects.requireNonNull(retryDelay, "retryDelay");
    }
  }

  private final WebClient client;
  private final String callbackUrl;
  private final StandardWebhooks signer;
  private final Options options;
  private final CallbackAnswer answers;

  /** {@code client} is shared by every channel; {@code signer}'s clock also dates the Retry-After headers. */
  public WebChannel(WebClient client, String callbackUrl, StandardWebhooks signer, Clock clock, Options options) {
    this.client = client;
    this.callbackUrl = callbackUrl;
    this.signer = signer;
    this.options = options;
    this.answers = new CallbackAnswer(clock, options.retryDelay());
  }

  /** {@link #from(Vertx, WebClient, Document, Clock, Options)} with the default timeouts. */
  public static WebChannel from(Vertx vertx, WebClient client, Document channelDoc, Clock clock) {
    return from(vertx, client, channelDoc, clock, Options.DEFAULT);
  }

  /**
   * The channel described by a {@code channels} document {@code {_id, type: "web", name, settings:
   * {callbackUrl, secret}}}. {@code vertx} is not needed by this channel; it is there so every channel
   * factory has the same shape.
   *
   * @throws IllegalArgumentException naming the setting when the document does not describe a usable web
   *     channel (the message never contains the secret)
   */
  public static WebChannel from(Vertx vertx, WebClient client, Document channelDoc, Clock clock, Options options) {
    String id = String.valueOf(channelDoc.get("_id"));
    if (!"web".equals(channelDoc.getString("type"))) {
      throw new IllegalArgumentException("channel " + id + " is not a web channel");
    }
    Document settings = channelDoc.get("settings", Document.class);
    if (settings == null) throw new IllegalArgumentException("channel " + id + " has no settings");
    String url = callbackUrl(id, settings.get("callbackUrl"));
    String secret = ChannelSecrets.get(channelDoc, "secret");
    if (secret == null) throw new IllegalArgumentException("channel " + id + " has no signing secret");
    StandardWebhooks signer;
    try {
      signer = StandardWebhooks.forSecret(secret, clock);
    } catch (WebhookRejected e) {
      throw new IllegalArgumentException("channel " + id + ": its secret must be whsec_ followed by base64");
    }
    return new WebChannel(client, url, signer, clock, options);
  }

  @Override
  public Future<SendResult> send(OutgoingMessage message) {
    Buffer body = new JsonObject()
        .put("dialogueId", message.dialogueId())
        .put("to", message.to())
        .put("text", message.text())
        .toBuffer();
    // Signed at each attempt: the id stays, the timestamp is fresh, so a late retry is not refused as stale.
    SignedHeaders signed = signer.sign(message.messageId(), body.getBytes());
    HttpRequest<Buffer> request = client.postAbs(callbackUrl)
        .connectTimeout(options.connectTimeout().toMillis())
        .idleTimeout(options.responseTimeout().toMillis())
        .putHeader("Content-Type", "application/json");
    signed.asMap().forEach(request::putHeader);
    return request.sendBuffer(body)
        .map(response -> answers.classify(response, message.messageId()))
        .otherwise(answers::unanswered);
  }

  private static String callbackUrl(String channelId, Object value) {
    String problem = "channel " + channelId + ": settings.callbackUrl must be an absolute http(s) URL";
    if (!(value instanceof String url)) throw new IllegalArgumentException(problem);
    try {
      URI uri = new URI(url);
      boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
      if (!web || uri.getHost() == null) throw new IllegalArgumentException(problem);
      return url;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(problem);
    }
  }
}
