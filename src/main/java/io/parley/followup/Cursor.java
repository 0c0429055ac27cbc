package io.parley.followup;

import io.parley.http.ApiError;
import io.parley.store.Ids;

/**
 * Where a page ended: the last task's sort key (its {@link TaskDate#key} for date order, its creation
 * millisecond for creation order) and its id. Written {@code <key>_<id>}; clients pass it back unread.
 */
record Cursor(long key, String id) {
  String wire() {
    return key + "_" + id;
  }

  static Cursor parse(String value) {
    if (value == null || value.isEmpty()) return null;
    int cut = value.lastIndexOf('_');
    try {
      if (cut > 0 && Ids.looksValid(value.substring(cut + 1))) {
        return new Cursor(Long.parseLong(value.substring(0, cut)), value.substring(cut + 1));
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw ApiError.invalid("after", "after must be the next cursor of a previous page");
  }
}
