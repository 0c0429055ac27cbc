package io.parley.conversation;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.store.Rx;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes routed messages from {@code inbound}, many in one write: a removal is written at once when no
 * write is under way, otherwise with every one that came in meanwhile as soon as that write is done. A
 * removal lost to a crash costs a repeat of an idempotent route at the next start, never a message. Used
 * from one verticle's context only.
 */
final class RoutedMessages {
  private static final Logger log = LoggerFactory.getLogger(RoutedMessages.class);
  private static final int MAX_BATCH = 1000;

  private final MongoCollection<Document> inbound;
  private List<String> waiting = new ArrayList<>();
  private boolean writing;

  RoutedMessages(MongoCollection<Document> inbound) {
    this.inbound = inbound;
  }

  void routed(String inboundId) {
    waiting.add(inboundId);
    if (!writing) write();
  }

  private void write() {
    if (waiting.isEmpty()) {
      writing = false;
      return;
    }
    writing = true;
    List<String> batch = waiting.size() <= MAX_BATCH ? waiting : new ArrayList<>(waiting.subList(0, MAX_BATCH));
    waiting = waiting.size() <= MAX_BATCH ? new ArrayList<>() : new ArrayList<>(waiting.subList(MAX_BATCH, waiting.size()));
    Rx.done(inbound.deleteMany(Filters.in("_id", batch)))
        .onFailure(err -> log.warn("{} routed messages not removed from inbound; routed again (without effect) at the next start",
            batch.size(), err))
        .onComplete(ar -> write());
  }
}
