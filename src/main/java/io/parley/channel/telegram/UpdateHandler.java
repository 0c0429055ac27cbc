package io.parley.channel.telegram;

import io.parley.App;
import io.parley.channel.Inbox;
import io.parley.channel.IncomingMessage;
import io.vertx.core.Future;
import java.time.Clock;
import org.telegram.telegrambots.meta.api.objects.Contact;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.message.Message;

/**
 * What Parley does with one Telegram update, however it arrived (long polling or webhook): the writer is
 * recorded as a contact (and their unreachable targets requeued when that made them reachable), a
 * {@code /start <code>} is attributed to its task, and any other text goes to the {@link Inbox}. Every step
 * is idempotent and the inbox keeps a message once ({@code chatId:messageId}), so an update handled twice
 * (redelivered, or polled again after a crash) changes nothing the second time.
 */
final class UpdateHandler {
  private final TelegramContacts contacts;
  private final ReachableAgain reachable;
  private final DeepLinkStart deepLinks;
  private final Inbox inbox;
  private final Clock clock;

  UpdateHandler(App app, TelegramContacts contacts) {
    this.contacts = contacts;
    this.reachable = new ReachableAgain(app.store(), app.vertx().eventBus(), app.clock());
    this.deepLinks = new DeepLinkStart(app, contacts, reachable);
    this.inbox = new Inbox(app.store(), app.vertx().eventBus());
    this.clock = app.clock();
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
    String text = m.getText() != null ? m.getText() : m.getCaption();
    if (text == null) return Future.succeededFuture();
    if (text.equals("/start") || text.startsWith("/start ")) {
      String code = text.substring("/start".length()).trim();
      return code.isEmpty() ? Future.succeededFuture() : deepLinks.started(channelId, person, code);
    }
    return contacts.from(channelId, person.chatId())
        .compose(from -> inbox.accept(new IncomingMessage(channelId, from, text,
            person.chatId() + ":" + m.getMessageId(), clock.instant())))
        .mapEmpty();
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
