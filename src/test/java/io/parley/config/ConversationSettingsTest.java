package io.parley.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A burst claim must outlast the AI's own longest reply, or a restart could answer a burst twice. */
class ConversationSettingsTest {
  @Test
  void theDefaultClaimOutlastsTheDefaultAiCalls() {
    ParleyConfig.Conversation c = ParleyConfig.withOverrides(Map.of()).conversation();
    assertEquals(600, c.replyLeaseSeconds());
  }

  @Test
  void aClaimNoLongerThanTheAiCallsStopsStartNamingTheKeys() {
    // 4 calls of 30 s and backoffs of 1 + 2 + 4 s: 127 s
    ConfigException refused = assertThrows(ConfigException.class,
        () -> ParleyConfig.withOverrides(Map.of("conversation.replyLeaseSeconds", "127")));
    assertTrue(refused.getMessage().contains("conversation.replyLeaseSeconds (127)"), refused.getMessage());
    assertTrue(refused.getMessage().contains("conversation.aiTimeoutSeconds (30 s)"), refused.getMessage());
    assertTrue(refused.getMessage().endsWith("127 s"), refused.getMessage());
    assertEquals(128, ParleyConfig.withOverrides(Map.of("conversation.replyLeaseSeconds", "128")).conversation()
        .replyLeaseSeconds());
  }

  @Test
  void longerAiCallsNeedALongerClaim() {
    assertThrows(ConfigException.class, () -> ParleyConfig.withOverrides(Map.of("conversation.aiTimeoutSeconds", "150")));
    assertEquals(150, ParleyConfig.withOverrides(Map.of("conversation.aiTimeoutSeconds", "150",
        "conversation.replyLeaseSeconds", "900")).conversation().aiTimeoutSeconds());
  }

  @Test
  void aProcessIsTakenForStoppedAfterThreeHeartbeatsWithoutOne() {
    assertEquals(java.time.Duration.ofSeconds(30), ParleyConfig.withOverrides(Map.of()).conversation().silenceBeforeRelease());
    assertEquals(java.time.Duration.ofSeconds(6), ParleyConfig.withOverrides(Map.of("conversation.heartbeatSeconds", "2"))
        .conversation().silenceBeforeRelease());
    ConfigException refused = assertThrows(ConfigException.class,
        () -> ParleyConfig.withOverrides(Map.of("conversation.heartbeatSeconds", "0")));
    assertTrue(refused.getMessage().contains("conversation.heartbeatSeconds"), refused.getMessage());
  }
}
