package io.parley;

import java.util.logging.LogManager;

/**
 * The JDK's log manager, except that it keeps logging through JVM shutdown until Parley has closed.
 * The JDK resets (closes) every handler in a shutdown hook of its own that runs alongside Parley's, so
 * without this the lines logged while stopping, "Parley stopped" included, are lost on SIGTERM.
 */
public final class ShutdownLogManager extends LogManager {
  private volatile boolean holdReset;

  /** From now on a reset waits for {@link #release()}; call once logging is configured. */
  static void holdUntilReleased() {
    if (LogManager.getLogManager() instanceof ShutdownLogManager m) m.holdReset = true;
  }

  /** Parley has stopped: flush and close the handlers now. */
  static void release() {
    if (LogManager.getLogManager() instanceof ShutdownLogManager m) {
      m.holdReset = false;
      m.reset();
    }
  }

  @Override
  public void reset() {
    if (!holdReset) super.reset();
  }
}
