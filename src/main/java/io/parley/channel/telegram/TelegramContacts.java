package io.parley.channel.telegram;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The people who wrote to a bot, the only ones it may write to. One document per chat,
 * {@code channel:chat:<chatId>} {@code {channel, chatId, username, firstName, phone, tasks, address,
 * firstSeenAt, lastSeenAt}}, and one alias per other address form, {@code channel:@username} and
 * {@code channel:+phone} {@code {channel, chatId}}: every audience address resolves with one {@code _id} read.
 *
 * <p>{@code address} is the audience address the last outreach dialogue was opened with (such as
 * {@code @ann}); incoming messages of that chat carry it as their {@code from}, so a reply finds the
 * dialogue whose {@code contact} is that address.
 */
final class TelegramContacts {
  private final MongoCollection<Document> contacts;

  TelegramContacts(Store store) {
    this.contacts = store.collection(Collections.TELEGRAM_CONTACTS);
  }

  /** A person as an update shows them; {@code username} and {@code phone} may be null. */
  record Person(String chatId, String username, String firstName, String phone) {
    /** Every audience address that means this person, normalized like audience lines. */
    List<String> addresses() {
      List<String> all = new ArrayList<>();
      all.add(chatId);
      if (username != null) all.add(TelegramContacts.username(username));
      if (phone != null) all.add(TelegramContacts.phone(phone));
      return all;
    }
  }

  static String username(String name) {
    return "@" + name.toLowerCase(Locale.ROOT);
  }

  static String phone(String number) {
    return "+" + number.replaceAll("[^0-9]", "");
  }

  static String chatKey(String channelId, String chatId) {
    return channelId + ":chat:" + chatId;
  }

  /**
   * Records that {@code person} wrote. Answers whether this made them reachable under an address they
   * were not reachable by before (a new chat, a new username, a first shared phone).
   */
  Future<Boolean> seen(String channelId, Person p, Instant at) {
    List<Bson> sets = new ArrayList<>(List.of(Updates.set("channel", channelId), Updates.set("chatId", p.chatId()),
        Updates.set("lastSeenAt", Date.from(at)), Updates.setOnInsert("firstSeenAt", Date.from(at))));
    if (p.username() != null) sets.add(Updates.set("username", p.username()));
    if (p.firstName() != null) sets.add(Updates.set("firstName", p.firstName()));
    if (p.phone() != null) sets.add(Updates.set("phone", phone(p.phone())));
    Future<Boolean> chat = Rx.first(contacts.findOneAndUpdate(Filters.eq("_id", chatKey(channelId, p.chatId())),
        Updates.combine(sets), new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.BEFORE)))
        .map(before -> before == null);
    Future<Boolean> result = chat;
    for (String alias : p.addresses().subList(1, p.addresses().size())) {
      result = result.compose(changed -> alias(channelId, alias, p.chatId()).map(added -> changed || added));
    }
    return result;
  }

  /** Points {@code channel:alias} at the chat; answers whether it was new or pointed elsewhere. */
  private Future<Boolean> alias(String channelId, String alias, String chatId) {
    return Rx.first(contacts.findOneAndUpdate(Filters.eq("_id", channelId + ":" + alias),
            Updates.combine(Updates.set("channel", channelId), Updates.set("chatId", chatId)),
            new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.BEFORE)))
        .map(before -> before == null || !chatId.equals(before.getString("chatId")));
  }

  /** The chat an audience address reaches on the channel, or null when that person never wrote. */
  Future<String> resolve(String channelId, String address) {
    boolean alias = address.startsWith("@") || address.startsWith("+");
    String key = alias ? channelId + ":" + address.toLowerCase(Locale.ROOT) : chatKey(channelId, address);
    return Rx.first(contacts.find(Filters.eq("_id", key)).limit(1)).map(doc -> doc == null ? null : doc.getString("chatId"));
  }

  /** Remembers the address a dialogue was opened with, for the {@code from} of the chat's messages. */
  Future<Void> openedAs(String channelId, String chatId, String address) {
    return Rx.done(contacts.updateOne(Filters.eq("_id", chatKey(channelId, chatId)), Updates.set("address", address)));
  }

  /** The {@code from} of the chat's incoming messages: the address its dialogue was opened with, else the chat id. */
  Future<String> from(String channelId, String chatId) {
    return Rx.first(contacts.find(Filters.eq("_id", chatKey(channelId, chatId))).limit(1))
        .map(doc -> doc != null && doc.getString("address") != null ? doc.getString("address") : chatId);
  }

  /** Records that the person came through the deep link of {@code taskId}. */
  Future<Void> attribute(String channelId, String chatId, String taskId) {
    return Rx.done(contacts.updateOne(Filters.eq("_id", chatKey(channelId, chatId)), Updates.addToSet("tasks", taskId)));
  }
}
