package io.parley.channel.whatsapp;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.store.Collections;
import io.parley.store.DuplicateKey;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.util.Date;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A contact told WhatsApp to stop marketing messages from the business (Meta's {@code user_preferences}
 * webhook, category {@code marketing_messages}): Parley's outreach is marketing, so the number is suppressed
 * like an opt-out ({@code suppressions}, with {@code source} {@value #SOURCE}) and no task opens a dialogue
 * with it any more; the conversations they start are still answered. When they resume, that suppression is
 * lifted, but not one their own stop word made. Only the latest choice counts: a late webhook of an earlier
 * one changes nothing.
 */
final class MarketingPreferences {
  static final String SOURCE = "whatsapp_marketing";
  private static final Logger log = LoggerFactory.getLogger(MarketingPreferences.class);

  private final Contacts contacts;
  private final MongoCollection<Document> suppressions;

  MarketingPreferences(Store store, Contacts contacts) {
    this.contacts = contacts;
    this.suppressions = store.collection(Collections.SUPPRESSIONS);
  }

  Future<Void> apply(String channelId, WebhookEvents.Preference p) {
    boolean stop = "stop".equals(p.value());
    if (!"marketing_messages".equals(p.category()) || !(stop || "resume".equals(p.value()))) {
      log.info("WhatsApp channel {}: {} chose {} for {}; not a choice Parley acts on", channelId, p.phone(), p.value(), p.category());
      return Future.succeededFuture();
    }
    return contacts.marketing(channelId, p.phone(), p.value(), p.at()).compose(latest -> {
      if (!latest) return Future.succeededFuture();
      log.info("WhatsApp channel {}: {} {} marketing messages", channelId, p.phone(), stop ? "stopped" : "resumed");
      if (!stop) return Rx.done(suppressions.deleteOne(Filters.and(Filters.eq("_id", p.phone()), Filters.eq("source", SOURCE))));
      Document suppression = new Document("_id", p.phone()).append("channel", channelId).append("source", SOURCE)
          .append("at", Date.from(p.at()));
      return Rx.done(suppressions.insertOne(suppression)) // already suppressed (their stop word): that stands
          .recover(err -> DuplicateKey.is(err) ? Future.succeededFuture() : Future.failedFuture(err));
    });
  }
}
