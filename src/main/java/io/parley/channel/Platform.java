package io.parley.channel;

import java.util.Locale;

/**
 * A messaging platform: the type of a channel and of the outreach tasks that send through it. Whether a
 * platform lets a business open a dialogue decides which task formats its channels can serve.
 */
public enum Platform {
  TELEGRAM(true),
  WHATSAPP(true),
  VK(true),
  AVITO(false),
  WEB(true),
  INSTAGRAM(false);

  private final boolean opensDialogues;

  Platform(boolean opensDialogues) {
    this.opensDialogues = opensDialogues;
  }

  /** Whether a channel of this platform can write first (needed by {@code incoming_outgoing} tasks). */
  public boolean opensDialogues() {
    return opensDialogues;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
