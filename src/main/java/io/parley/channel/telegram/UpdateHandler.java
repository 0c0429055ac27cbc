package io.parley.channel.telegram;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.App;
import io.parley.channel.Inbox;
import io.parley.channel.IncomingMessage;
import io.parley.dispatch.DialogueRecorder;
import io.parley.store.Collections;
import io.parley.store.Rx;
import io.vertx.core.Future;
import java.time.Clock;
import org.telegram.telegrambots.meta.api.objects.Contact;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.bson.Document;
import org.telegram.telegrambots.meta.api.objects.message.Message;

/**
 * What Parley does with one Telegram update, however it arrived (long polling or webhook): the writer is
 * recorded as a contact (and their unreachable targets requeued when that made them reachable), a
 * {@code /start <code>} is attributed to its task, and any other message goes to the {@link Inbox} as text
 * ({@link TelegramText}: media, stickers, contacts, locations as their kind in brackets) — the person's own
 * contact card only within a dialogue. Every step
 * is idempotent and the inbox keeps a message once ({@code chatId:messageId}), so an update handled twice
 * (redelivered, or polled again after a crash) changes nothing the second time.
 */
final class UpdateHandler {
  private final TelegramContacts contacts;
  private final ReachableAgain reachable;
  private final DeepLinkStart deepLinks;
  private final Inbox inbox;
  private final Clock clock;
  private final MongoCollection<Document> keys;

  UpdateHandler(App app, TelegramContacts contacts) {
    this.contacts = contacts;
    this.reachable = new ReachableAgain(app.store(), app.vertx().eventBus(), app.clock());
    this.deepLinks = new DeepLinkStart(app, contacts, reachable);
    this.inbox = new Inbox(app.store(), app.vertx().eventBus());
    this.clock = app.clock();
    this.keys = app.store().collection(Collections.DIALOGUE_KEYS);
  }

  Future<Void> handle(String channelId, Update update) {
    Message m = update.getMessage();
    // Only private chats with people: groups and channels are not contacts.
    if (m == null || m.getFrom() == null || m.getChat() == null || !"private".equals(m.getChat().getType())) {
      return Future.succeededFuture();
    }
    TelegramContacts.Person person = person(m);
    return contacts.seen(channelId, person, clock.instant())
        .compose(reachableNow -> reachableNow ? reachable.requeue(channelId, person.addresses()).mapEmpty()
            : Future.<Void>succeededFuture())
        .compose(v -> message(channelId, person, m));
  }

  private Future<Void> message(String channelId, TelegramContacts.Person person, Message m) {
    String text = TelegramText.of(m);
    if (text == null) return Future.succeededFuture();
    if (m.hasText() && (text.equals("/start") || text.startsWith("/start "))) {
      String code = text.substring("/start".length()).trim();
      return code.isEmpty() ? Future.succeededFuture() : deepLinks.started(channelId, person, code);
    }
    return contacts.from(channelId, person.chatId())
        .compose(from -> (person.phone() == null ? Future.succeededFuture(true) : inDialogue(channelId, from))
            .compose(isMessage -> !isMessage ? Future.<Boolean>succeededFuture(false)
                : inbox.accept(new IncomingMessage(channelId, from, text, person.chatId() + ":" + m.getMessageId(),
                    clock.instant()))))
        .mapEmpty();
  }

  /**
   * Whether the person is in a dialogue on the channel. Their own contact card is a message there (the
   * phone a dialogue asked for); outside one it only tells Parley their phone, as people starting the bot do.
   */
  private Future<Boolean> inDialogue(String channelId, String from) {
    return Rx.first(keys.find(Filters.eq("_id", DialogueRecorder.key(channelId, from))).limit(1)).map(k -> k != null);
  }

  private static TelegramContacts.Person person(Message m) {
    User from = m.getFrom();
    Contact shared = m.getContact();
    // A shared contact counts as the writer's phone only when it is their own card.
    String phone = shared != null && shared.getPhoneNumber() != null
        && (shared.getUserId() == null || shared.getUserId().equals(from.getId())) ? shared.getPhoneNumber() : null;
    return new TelegramContacts.Person(String.valueOf(m.getChatId()), from.getUserName(), from.getFirstName(), phone);
  }
}
