package io.parley.channel;

import java.util.Map;
import java.util.Objects;

/**
 * A message Parley wants delivered. {@code messageId} is chosen once and reused for every retry, so a
 * receiver that saw the first attempt can recognise the repeat; {@code extra} carries platform-specific
 * options (a WhatsApp template name, ...) that a channel may ignore. {@code dialogueId} is null for a message
 * outside any dialogue: the confirmation of a stop word from a contact no running task answers.
 */
public record OutgoingMessage(String messageId, String dialogueId, String to, String text, Map<String, String> extra) {
  public OutgoingMessage {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(text, "text");
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }

  public OutgoingMessage(String messageId, String dialogueId, String to, String text) {
    this(messageId, dialogueId, to, text, Map.of());
  }
}
