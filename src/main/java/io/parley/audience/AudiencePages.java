package io.parley.audience;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.parley.store.Collections;
import io.parley.store.DuplicateKey;
import io.parley.store.Rx;
import io.parley.store.Store;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.bson.Document;

/**
 * A task's audience in upload order, {@link #SIZE} sequence numbers a page: {@code {_id: task:page,
 * addresses: [...]}}, the address at each offset or null where the number went unused (a duplicate, the
 * tail of a short batch). Entries are keyed by address, so this is how a dispatcher finds the entry with
 * a given number by {@code _id} alone: one page read serves a thousand claims.
 */
public final class AudiencePages {
  public static final int SIZE = 1000;

  private final MongoCollection<Document> pages;
  private final MongoCollection<Document> audience;

  public AudiencePages(Store store) {
    this.pages = store.collection(Collections.AUDIENCE_PAGES);
    this.audience = store.collection(Collections.AUDIENCE);
  }

  public static long pageOf(long seq) {
    return (seq - 1) / SIZE;
  }

  public static int offsetOf(long seq) {
    return (int) ((seq - 1) % SIZE);
  }

  /** The first sequence number of {@code page}. */
  public static long firstSeq(long page) {
    return page * SIZE + 1;
  }

  static String id(String taskId, long page) {
    return taskId + ":" + page;
  }

  /** Records the page starting at {@code firstSeq}: {@code docs} in order, without those {@code refused}. */
  Future<Void> write(String taskId, long firstSeq, List<Document> docs, Set<Integer> refused) {
    String[] addresses = new String[docs.size()];
    for (int i = 0; i < docs.size(); i++) {
      if (!refused.contains(i)) addresses[i] = docs.get(i).getString("address");
    }
    long page = pageOf(firstSeq);
    return Rx.done(pages.replaceOne(Filters.eq("_id", id(taskId, page)), page(taskId, page, Arrays.asList(addresses)),
        new ReplaceOptions().upsert(true)));
  }

  Future<Void> forget(String taskId, List<Long> firstSeqs) {
    if (firstSeqs.isEmpty()) return Future.succeededFuture();
    List<String> ids = firstSeqs.stream().map(seq -> id(taskId, pageOf(seq))).toList();
    return Rx.done(pages.deleteMany(Filters.in("_id", ids)));
  }

  /** The addresses of {@code page}, or null when the page was never recorded. */
  public Future<List<String>> find(String taskId, long page) {
    return Rx.first(pages.find(Filters.eq("_id", id(taskId, page))).limit(1))
        .map(doc -> doc == null ? null : doc.getList("addresses", String.class));
  }

  /**
   * Rebuilds a page from its entries, for a process that died between writing a batch and its page.
   * Scans the task's entries in the page's range; runs only when a sweep finds such a page missing.
   */
  public Future<List<String>> rebuild(String taskId, long page) {
    long first = firstSeq(page);
    return Rx.list(audience.find(Filters.and(Filters.eq("task", taskId), Filters.gte("seq", first),
            Filters.lt("seq", first + SIZE))).sort(Sorts.ascending("seq")))
        .compose(entries -> {
          List<String> addresses = new ArrayList<>();
          for (Document e : entries) {
            int offset = offsetOf(e.get("seq", Number.class).longValue());
            while (addresses.size() <= offset) addresses.add(null);
            addresses.set(offset, e.getString("address"));
          }
          return Rx.done(pages.insertOne(page(taskId, page, addresses)))
              .recover(err -> DuplicateKey.is(err) ? Future.succeededFuture() : Future.failedFuture(err))
              .map(addresses);
        });
  }

  private static Document page(String taskId, long page, List<String> addresses) {
    return new Document("_id", id(taskId, page)).append("task", taskId).append("page", page)
        .append("addresses", addresses);
  }
}
