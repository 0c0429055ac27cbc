package io.parley.dispatch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audience pages (a task's addresses in numbering order, 1,000 to a page) the dispatchers of one process
 * have read lately. Pages never change once written, so one copy serves every dispatcher: with a thousand
 * channels on one task, a cache per dispatcher held the same pages a thousand times over. Dispatchers run on
 * several event loops, hence the lock; a lookup is a map access.
 */
final class PageCache {
  private final Map<String, List<String>> pages;

  PageCache(int maxPages) {
    this.pages = new LinkedHashMap<>(maxPages * 2, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
        return size() > maxPages;
      }
    };
  }

  synchronized List<String> get(String taskId, long page) {
    return pages.get(key(taskId, page));
  }

  synchronized void put(String taskId, long page, List<String> addresses) {
    pages.put(key(taskId, page), Collections.unmodifiableList(new ArrayList<>(addresses))); // null: a number unused
  }

  synchronized void remove(String taskId, long page) {
    pages.remove(key(taskId, page));
  }

  private static String key(String taskId, long page) {
    return taskId + ":" + page;
  }
}
