package io.parley.ai;

import java.util.List;
import org.bson.Document;

/**
 * What a reply is written from: the virtual manager speaking (name, persona), the contact and their merge
 * fields, the dialogue's recent history (oldest first) and the burst of contact messages to answer.
 */
public record ChatContext(String managerName, String persona, String contact, Document fields, List<Turn> history,
    String burst) {

  /** One message of the history: author {@code contact}, {@code ai}, {@code manager} or {@code system}. */
  public record Turn(String author, String text) {
    public boolean fromContact() {
      return "contact".equals(author);
    }
  }
}
