package io.parley.channel.telegram;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.audience.AudienceImport;
import io.parley.audience.BatchWriter;
import io.parley.channel.Platform;
import io.parley.store.Collections;
import io.parley.store.Ids;
import io.parley.store.Rx;
import io.vertx.core.Future;
import java.util.List;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /start <code>} from a task's deep link ({@link DeepLinks}): the person is recorded as coming from
 * that task, and if the task reaches out ({@code incoming_outgoing}) and is live, they become one of its
 * targets — requeued if they were skipped as unreachable, added if the audience did not have them — so the
 * opening message reaches everyone who clicked the campaign's link. Unknown codes are ignored.
 */
final class DeepLinkStart {
  private static final Logger log = LoggerFactory.getLogger(DeepLinkStart.class);

  private final MongoCollection<Document> tasks;
  private final MongoCollection<Document> audience;
  private final TelegramContacts contacts;
  private final ReachableAgain reachable;
  private final AudienceImport imports;

  DeepLinkStart(io.parley.App app, TelegramContacts contacts, ReachableAgain reachable) {
    this.tasks = app.store().collection(Collections.TASKS);
    this.audience = app.store().collection(Collections.AUDIENCE);
    this.contacts = contacts;
    this.reachable = reachable;
    this.imports = new AudienceImport(app);
  }

  Future<Void> started(String channelId, TelegramContacts.Person person, String code) {
    if (!Ids.looksValid(code)) return Future.succeededFuture();
    return Rx.first(tasks.find(Filters.eq("_id", code)).projection(Projections.include("type", "format", "channels", "status")).limit(1))
        .compose(task -> {
          if (task == null || !Platform.TELEGRAM.wire().equals(task.getString("type"))
              || !task.getList("channels", String.class, List.of()).contains(channelId)) {
            return Future.succeededFuture();
          }
          Future<Void> attributed = contacts.attribute(channelId, person.chatId(), code);
          boolean outreach = "incoming_outgoing".equals(task.getString("format"));
          if (!outreach || !ReachableAgain.LIVE.contains(task.getString("status"))) return attributed;
          return attributed.compose(v -> target(code, channelId, person));
        });
  }

  /** Makes the person a target of the task unless they already are one (under any of their addresses). */
  private Future<Void> target(String taskId, String channelId, TelegramContacts.Person person) {
    List<String> addresses = person.addresses();
    Future<Boolean> known = Future.succeededFuture(false);
    for (String address : addresses) {
      known = known.compose(found -> found ? Future.succeededFuture(true)
          : Rx.first(audience.find(Filters.eq("_id", BatchWriter.entryId(taskId, address))).limit(1)).map(e -> e != null));
    }
    return known.compose(found -> {
      if (found) return reachable.requeue(taskId, channelId, addresses).mapEmpty();
      String address = person.username() != null ? TelegramContacts.username(person.username()) : person.chatId();
      return imports.importLines(taskId, Platform.TELEGRAM, List.of(address))
          .compose(report -> reachable.reopen(taskId))
          .onSuccess(v -> log.info("Task {}: added {} who came through its Telegram deep link", taskId, address));
    });
  }
}
