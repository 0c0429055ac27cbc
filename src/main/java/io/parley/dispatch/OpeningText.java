package io.parley.dispatch;

import io.parley.channel.OutgoingMessage;
import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * A task's opening message, ready to fill for one contact: free text, or a WhatsApp template whose body
 * parameters are filled and handed to the channel in {@link OutgoingMessage#extra()}.
 */
record OpeningText(String text, String templateName, String language, List<String> parameters) {
  static OpeningText of(Document task) {
    Document opening = task.get("openingMessage", Document.class);
    if (opening == null) return new OpeningText("", null, null, List.of());
    Document template = opening.get("template", Document.class);
    if (template == null) return new OpeningText(opening.getString("text"), null, null, List.of());
    return new OpeningText(null, template.getString("name"), template.getString("language"),
        template.getList("parameters", String.class, List.of()));
  }

  OutgoingMessage message(TargetClaims.Claim claim) {
    if (templateName == null) {
      return new OutgoingMessage(claim.messageId(), claim.dialogueId(), claim.address(),
          MergeFields.render(text, claim.address(), claim.fields()));
    }
    List<String> filled = parameters.stream().map(p -> MergeFields.render(p, claim.address(), claim.fields())).toList();
    String shown = "template " + templateName + (filled.isEmpty() ? "" : " " + filled);
    return new OutgoingMessage(claim.messageId(), claim.dialogueId(), claim.address(), shown,
        Map.of("template", templateName, "language", language, "parameters", new JsonArray(filled).encode()));
  }
}
