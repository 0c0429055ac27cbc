package io.parley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** The levels a stop under another log manager holds its handlers to ({@code Main.keepLogging}). */
class MainLevelsTest {
  @Test
  void aLoggerTakesTheLevelOfItsNearestConfiguredParent() {
    Map<String, Level> levels = Map.of("", Level.INFO, "de.bwaldvogel", Level.WARNING, "de.bwaldvogel.mongo.wire", Level.SEVERE);
    assertEquals(Level.WARNING, Main.levelOf("de.bwaldvogel.mongo.MongoServer", levels));
    assertEquals(Level.SEVERE, Main.levelOf("de.bwaldvogel.mongo.wire.MongoWireProtocolHandler", levels));
    assertEquals(Level.WARNING, Main.levelOf("de.bwaldvogel", levels));
    assertEquals(Level.INFO, Main.levelOf("de.bwaldvogelx.Other", levels), "a name that only starts alike is not a child");
    assertEquals(Level.INFO, Main.levelOf("io.parley.Parley", levels));
    assertEquals(Level.INFO, Main.levelOf(null, levels));
    assertNull(Main.levelOf("io.parley.Parley", Map.of("de.bwaldvogel", Level.WARNING)));
  }
}
