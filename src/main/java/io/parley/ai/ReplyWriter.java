package io.parley.ai;

import io.vertx.core.Future;
import java.math.BigDecimal;

/** Writes the virtual manager's next reply. One attempt per call; the caller decides about retries. */
public interface ReplyWriter {
  /** The reply, or a failure with an {@link AiFailure} saying whether another attempt may help. */
  Future<AiReply> write(ChatContext context);

  /** The most a call for {@code context} can cost, reserved against the dialogue's spend cap before it. */
  BigDecimal worstCase(ChatContext context);

  /** {@code scripted} or {@code openai}: the tag of the replies-by-provider metric. */
  String provider();

  /**
   * Whether a reply is written at once, with nothing waited for: then the dialogue cannot have changed
   * while it was written. A provider's call takes time, during which a manager may take the dialogue over.
   */
  default boolean instant() {
    return false;
  }
}
