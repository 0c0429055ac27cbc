package io.parley.channel.whatsapp;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.DuplicateKey;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * What Parley knows about a contact of one WhatsApp number, one document {@code _id = channel:+phone}:
 * {@code lastIncomingAt} (the customer-service window is open for 24 h after it), {@code windowClosedAt}
 * (Meta said the window was closed, error 131047) and {@code countedAt} (when the contact last counted
 * as a new contact against the messaging tier). Read and written by {@code _id} only.
 */
final class Contacts {
  static final Duration WINDOW = Duration.ofHours(24);

  private final DocumentStore contacts;

  Contacts(Store store) {
    this.contacts = new DocumentStore(store, Collections.WHATSAPP_CONTACTS);
  }

  static String key(String channelId, String phone) {
    return channelId + ":" + Phones.e164(phone);
  }

  /** Whether free text may be sent to {@code phone} now: the contact wrote within 24 h and Meta did not say otherwise. */
  Future<Boolean> windowOpen(String channelId, String phone, Instant now) {
    return contacts.find(key(channelId, phone)).map(doc -> {
      Date last = doc == null ? null : doc.getDate("lastIncomingAt");
      if (last == null || !now.isBefore(last.toInstant().plus(WINDOW))) return false;
      Date closed = doc.getDate("windowClosedAt");
      return closed == null || closed.before(last);
    });
  }

  /** The contact wrote at {@code at}: the window runs 24 h from the latest such message. */
  Future<Void> incoming(String channelId, String phone, Instant at) {
    return upsert(key(channelId, phone), Updates.max("lastIncomingAt", Date.from(at)));
  }

  /** Meta refused free text as outside the window; until the contact writes again only templates go out. */
  Future<Void> windowClosed(String channelId, String phone, Instant at) {
    return upsert(key(channelId, phone), Updates.set("windowClosedAt", Date.from(at)));
  }

  /** Whether a business-initiated message to {@code phone} now makes it a new contact for the tier. */
  Future<Boolean> isNewContact(String channelId, String phone, Instant now) {
    return contacts.find(key(channelId, phone)).map(doc -> {
      Date counted = doc == null ? null : doc.getDate("countedAt");
      return counted == null || !now.isBefore(counted.toInstant().plus(WINDOW));
    });
  }

  Future<Void> counted(String channelId, String phone, Instant at) {
    return upsert(key(channelId, phone), Updates.set("countedAt", Date.from(at)));
  }

  /**
   * Records Meta's word that {@code phone} chose {@code value} ({@code stop}, {@code resume}) for marketing
   * messages at {@code at}; false when a later choice is recorded already (Meta's webhooks may come out of order).
   */
  Future<Boolean> marketing(String channelId, String phone, String value, Instant at) {
    String id = key(channelId, phone);
    Bson notLater = Filters.or(Filters.exists("marketingAt", false), Filters.lte("marketingAt", Date.from(at)));
    return Rx.done(contacts.collection().updateOne(Filters.and(Filters.eq("_id", id), notLater),
            Updates.combine(Updates.set("marketing", value), Updates.set("marketingAt", Date.from(at))),
            new UpdateOptions().upsert(true)))
        .map(true)
        .recover(err -> DuplicateKey.is(err) ? Future.succeededFuture(false) : Future.failedFuture(err));
  }

  /** An upsert by {@code _id}; two racing first writes make one of them a duplicate key, which then updates. */
  private Future<Void> upsert(String id, Bson update) {
    Future<Void> once = Rx.done(contacts.collection().updateOne(Filters.eq("_id", id), update, new UpdateOptions().upsert(true)));
    return once.recover(err -> DuplicateKey.is(err)
        ? Rx.done(contacts.collection().updateOne(Filters.eq("_id", id), update))
        : Future.failedFuture(err));
  }

  Future<Document> find(String channelId, String phone) {
    return contacts.find(key(channelId, phone));
  }
}
