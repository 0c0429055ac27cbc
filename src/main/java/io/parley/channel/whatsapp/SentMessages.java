package io.parley.channel.whatsapp;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.parley.channel.OutgoingMessage;
import io.parley.store.Collections;
import io.parley.store.DocumentStore;
import io.parley.store.DuplicateKey;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;

/**
 * The messages Parley sent on WhatsApp, one document {@code _id = wamid} written when Meta accepted the
 * message: {@code messageId, dialogueId, channel, to, kind (template|text), template?}. Delivery statuses
 * name only the wamid, so they find Parley's message here by {@code _id}. The flags {@code charged} and
 * {@code failed} make pricing and failure handling happen once, however often Meta repeats a status.
 */
final class SentMessages {
  private final DocumentStore sent;

  SentMessages(Store store) {
    this.sent = new DocumentStore(store, Collections.WHATSAPP_SENT);
  }

  Future<Void> record(String wamid, String channelId, OutgoingMessage message, String template, Instant at) {
    Document doc = new Document("_id", wamid).append("messageId", message.messageId())
        .append("dialogueId", message.dialogueId()).append("channel", channelId).append("to", Phones.e164(message.to()))
        .append("kind", template == null ? "text" : "template").append("createdAt", Date.from(at));
    if (template != null) doc.append("template", template);
    return sent.insert(doc).recover(err -> DuplicateKey.is(err) ? Future.succeededFuture() : Future.failedFuture(err));
  }

  Future<Document> find(String wamid) {
    return sent.find(wamid);
  }

  /** Marks {@code flag} on the message; answers the message only the first time (null afterwards, or if unknown). */
  Future<Document> once(String wamid, String flag, Instant at) {
    return sent.update(wamid, Filters.ne(flag, true), Updates.combine(Updates.set(flag, true),
        Updates.set(flag + "At", Date.from(at))));
  }
}
