package io.parley.ai;

import io.parley.dispatch.MergeFields;
import io.vertx.core.Future;
import java.math.BigDecimal;
import org.bson.Document;

/**
 * The built-in responder: the first rule whose expression is found in the contact's latest messages
 * answers (and may declare its outcome), else the fallback. No network, no cost. Replies take merge
 * fields: the contact's own ({@code {{name}}}, ...), {@code {{address}}} and {@code {{manager}}}.
 */
public final class ScriptedResponder implements ReplyWriter {
  private final AiProfile.Scripted scripted;

  public ScriptedResponder(AiProfile.Scripted scripted) {
    this.scripted = scripted;
  }

  @Override
  public Future<AiReply> write(ChatContext c) {
    for (AiProfile.Rule rule : scripted.rules()) {
      if (rule.pattern().matcher(c.burst()).find()) return Future.succeededFuture(AiReply.free(render(rule.reply(), c), rule.outcome()));
    }
    if (scripted.fallback() == null) return Future.succeededFuture(AiReply.free(null, null));
    return Future.succeededFuture(AiReply.free(render(scripted.fallback(), c), null));
  }

  @Override
  public BigDecimal worstCase(ChatContext context) {
    return BigDecimal.ZERO;
  }

  @Override
  public String provider() {
    return "scripted";
  }

  @Override
  public boolean instant() {
    return true;
  }

  private static String render(String template, ChatContext c) {
    Document fields = new Document(c.fields());
    if (!fields.containsKey("manager")) fields.put("manager", c.managerName());
    return MergeFields.render(template, c.contact(), fields);
  }
}
