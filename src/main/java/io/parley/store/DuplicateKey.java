package io.parley.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoWriteException;

/** Recognises duplicate-key failures by the driver's error category, never by message text. */
public final class DuplicateKey {
  private DuplicateKey() {}

  public static boolean is(Throwable error) {
    if (error instanceof MongoWriteException w) {
      return w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }
    if (error instanceof MongoBulkWriteException b) {
      return !b.getWriteErrors().isEmpty()
          && b.getWriteErrors().stream().allMatch(e -> ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY);
    }
    if (error instanceof MongoServerException s) {
      return ErrorCategory.fromErrorCode(s.getCode()) == ErrorCategory.DUPLICATE_KEY;
    }
    return false;
  }
}
