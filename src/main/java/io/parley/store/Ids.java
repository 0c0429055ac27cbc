package io.parley.store;

import org.bson.types.ObjectId;

/** Identifiers of stored resources: ObjectId hex strings, stable and roughly time-ordered. */
public final class Ids {
  private Ids() {}

  public static String newId() {
    return new ObjectId().toHexString();
  }

  public static boolean looksValid(String id) {
    return id != null && ObjectId.isValid(id);
  }
}
