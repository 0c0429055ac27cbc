package io.parley.channel;

/** Whether a channel's dispatcher may send: new channels are active; the engine pauses failing ones. */
public enum ChannelState {
  ACTIVE, PAUSED, AUTH_FAILED;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
