package io.parley.channel.telegram;

import com.mongodb.client.model.Filters;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/**
 * Every audience address that means the person behind one address on a Telegram channel: a bot knows a
 * person by chat id, and as {@code @username} and {@code +phone} once they showed them, and an audience may
 * name them any of these ways. For anything else (another platform, a person the bot does not know) the
 * address alone.
 */
public final class TelegramAliases {
  private TelegramAliases() {}

  public static Future<List<String>> of(Store store, String channelId, String address) {
    TelegramContacts contacts = new TelegramContacts(store);
    return contacts.resolve(channelId, address).compose(chatId -> chatId == null ? Future.succeededFuture(List.of(address))
        : Rx.first(store.collection(Collections.TELEGRAM_CONTACTS)
            .find(Filters.eq("_id", TelegramContacts.chatKey(channelId, chatId))).limit(1))
            .map(person -> addresses(address, chatId, person)));
  }

  private static List<String> addresses(String address, String chatId, Document person) {
    List<String> all = new ArrayList<>(List.of(address));
    List<String> known = new ArrayList<>(List.of(chatId));
    if (person != null) {
      if (person.getString("username") != null) known.add(TelegramContacts.username(person.getString("username")));
      if (person.getString("phone") != null) known.add(person.getString("phone"));
      if (person.getString("address") != null) known.add(person.getString("address"));
    }
    for (String a : known) {
      if (!all.contains(a)) all.add(a);
    }
    return all;
  }
}
