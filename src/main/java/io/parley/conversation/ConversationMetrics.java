package io.parley.conversation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.ops.Metrics;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * The conversation meters. Tags are bounded: providers are {@code scripted|openai}, block causes a fixed
 * list, channels the configured channel ids. Spend is exact in the store; the meter is only a gauge of it.
 */
final class ConversationMetrics {
  static final String REPLIES = "parley.ai.replies";
  static final String FAILURES = "parley.ai.failures";
  static final String DROPPED = "parley.ai.dropped";
  static final String OVERRULED = "parley.ai.outcomes.overruled";
  static final String LATENCY = "parley.ai.latency";
  static final String TOKENS = "parley.ai.tokens";
  static final String SPEND = "parley.ai.spend";
  static final String BLOCKED = "parley.dialogues.blocked";
  static final String OPT_OUTS = "parley.opt.outs";
  static final String INCOMING_DIALOGUES = "parley.dialogues.incoming";
  static final String UNANSWERABLE = "parley.messages.unanswerable";

  private final MeterRegistry registry;
  private final Metrics shared;

  ConversationMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.shared = new Metrics(registry);
  }

  void reply(String provider, Duration latency, long promptTokens, long completionTokens, BigDecimal cost) {
    Counter.builder(REPLIES).description("Replies the AI responder wrote").tag("provider", provider).register(registry).increment();
    Timer.builder(LATENCY).description("Time the AI provider took to write a reply").tag("provider", provider)
        .register(registry).record(latency);
    tokens(provider, "prompt", promptTokens);
    tokens(provider, "completion", completionTokens);
    Counter.builder(SPEND).description("Money spent on AI calls, USD").baseUnit("usd").tag("provider", provider)
        .register(registry).increment(cost.doubleValue());
  }

  /** A call that gave no reply; {@code cost} is what the provider charged for it all the same. */
  void failure(String provider, BigDecimal cost) {
    Counter.builder(FAILURES).description("AI calls that failed (each attempt)").tag("provider", provider)
        .register(registry).increment();
    if (cost.signum() > 0) {
      Counter.builder(SPEND).description("Money spent on AI calls, USD").baseUnit("usd").tag("provider", provider)
          .register(registry).increment(cost.doubleValue());
    }
  }

  /** A reply not sent because its dialogue became {@code state} ({@code human}, {@code closed}) during the call. */
  void dropped(String provider, String state) {
    Counter.builder(DROPPED).description("AI replies not sent: the dialogue was taken over or closed meanwhile")
        .tag("provider", provider).tag("state", state).register(registry).increment();
  }

  /** An outcome the AI declared, not recorded: a manager took the dialogue over or closed it meanwhile. */
  void overruled(String provider, String outcome) {
    Counter.builder(OVERRULED).description("Outcomes the AI declared after a manager took the dialogue over or closed it")
        .tag("provider", provider).tag("outcome", outcome).register(registry).increment();
  }

  /** {@code cause}: {@code spend_cap} or {@code channel_held}. */
  void blocked(String cause) {
    Counter.builder(BLOCKED).description("Dialogues blocked from automatic replies").tag("cause", cause)
        .register(registry).increment();
  }

  void optOut() {
    Counter.builder(OPT_OUTS).description("Contacts who opted out with a stop word").register(registry).increment();
  }

  void incomingDialogue(String channelId) {
    Counter.builder(INCOMING_DIALOGUES).description("Dialogues opened by contacts who wrote first")
        .tag("channel", channelId).register(registry).increment();
  }

  void unanswerable(String channelId) {
    Counter.builder(UNANSWERABLE).description("Messages from contacts with no dialogue on a channel no running task answers")
        .tag("channel", channelId).register(registry).increment();
  }

  void received(String channelId) {
    shared.messageReceived(channelId);
  }

  void sent(String channelId) {
    shared.messageSent(channelId);
  }

  void failed(String channelId) {
    shared.messageFailed(channelId);
  }

  private void tokens(String provider, String kind, long n) {
    Counter.builder(TOKENS).description("Tokens used by AI calls").tag("provider", provider).tag("kind", kind)
        .register(registry).increment(n);
  }
}
