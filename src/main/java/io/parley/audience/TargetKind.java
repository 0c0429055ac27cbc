package io.parley.audience;

import java.util.Locale;

/** What an audience address is, so a channel knows how to reach it without parsing it again. */
public enum TargetKind {
  PHONE, USERNAME, CHAT_ID, VK_USER, VK_COMMUNITY, ID;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
