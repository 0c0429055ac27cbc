package io.parley.conversation;

import io.parley.ai.ChatContext;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/** Builds what the AI sees from a dialogue document and its virtual manager. */
final class Context {
  private Context() {}

  static ChatContext of(Document dialogue, Document manager) {
    List<ChatContext.Turn> history = new ArrayList<>();
    for (Document turn : dialogue.getList("recent", Document.class, List.of())) {
      history.add(new ChatContext.Turn(turn.getString("author"), turn.getString("text")));
    }
    Document fields = dialogue.get("fields", Document.class);
    String name = manager == null ? "the manager" : manager.getString("name");
    String persona = manager == null ? "" : manager.getString("persona");
    return new ChatContext(name, persona, dialogue.getString("contact"), fields == null ? new Document() : fields,
        history, burst(history));
  }

  /** The contact's messages since the last one that was not theirs, one a line. */
  static String burst(List<ChatContext.Turn> history) {
    int start = history.size();
    while (start > 0 && history.get(start - 1).fromContact()) start--;
    List<String> texts = new ArrayList<>();
    for (int i = start; i < history.size(); i++) texts.add(history.get(i).text());
    return String.join("\n", texts);
  }
}
