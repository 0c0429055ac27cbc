package io.parley.dialogue;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Keeps what the managers' list shows on the dialogue document itself — the last message and the count
 * of contact messages nobody has read — so listing a page of dialogues reads no messages. One update by
 * {@code _id} per stored message.
 */
public final class DialogueActivity {
  private static final int EXCERPT = 200;

  private final MongoCollection<Document> dialogues;

  public DialogueActivity(Store store) {
    this.dialogues = store.collection(Collections.DIALOGUES);
  }

  /** Records that {@code message} (a stored {@code messages} document) belongs to its dialogue's history. */
  public Future<Void> stored(Document message) {
    return Rx.done(dialogues.updateOne(Filters.eq("_id", message.getString("dialogue")), Updates.combine(changes(message))));
  }

  /**
   * The dialogue updates that record {@code message}, for writers that change the dialogue in the same
   * write (they must not set {@code lastMessageAt} themselves).
   */
  public static List<Bson> changes(Document message) {
    Date at = message.getDate("createdAt");
    String text = message.getString("text");
    Document last = new Document("id", message.getString("_id"))
        .append("direction", message.getString("direction"))
        .append("author", message.getString("author"))
        .append("text", text == null || text.length() <= EXCERPT ? text : text.substring(0, EXCERPT) + "…")
        .append("at", at);
    List<Bson> updates = new ArrayList<>(List.of(Updates.set("lastMessage", last), Updates.max("lastMessageAt", at)));
    if ("in".equals(message.getString("direction"))) {
      updates.add(Updates.inc("unread", 1));
      updates.add(Updates.max("lastIncomingAt", at));
    }
    if ("manager".equals(message.getString("author"))) {
      updates.add(Updates.max("lastManagerReplyAt", at));
      updates.add(Updates.set(DialogueWatch.AWAITING_MANAGER, null)); // the takeover is answered: no timeout
    }
    return updates;
  }

  /**
   * A manager's reply was stored: besides what {@link #stored} records, it answers the contact's messages so
   * far (the AI, given the dialogue back, does not answer them again) and joins the AI's context.
   */
  public Future<Void> managerReplied(Document dialogue, Document message, int history) {
    List<Bson> updates = new ArrayList<>(changes(message));
    updates.add(Updates.max("answeredSeq", dialogue.get("inSeq") instanceof Number n ? n.longValue() : 0L));
    updates.add(Updates.pushEach("recent", List.of(new Document("author", "manager").append("text", message.getString("text"))),
        new com.mongodb.client.model.PushOptions().slice(-history)));
    return Rx.done(dialogues.updateOne(Filters.eq("_id", message.getString("dialogue")), Updates.combine(updates)));
  }

  /** A manager has read the dialogue: nothing is unread. */
  public Future<Void> read(String dialogueId) {
    return Rx.done(dialogues.updateOne(Filters.eq("_id", dialogueId), Updates.set("unread", 0)));
  }
}
