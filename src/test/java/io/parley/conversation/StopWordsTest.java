package io.parley.conversation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopWordsTest {
  private final StopWords words = new StopWords(List.of("STOP", "unsubscribe", "СТОП", "ОТПИСАТЬСЯ"));

  @Test
  void theWholeMessageIsAStopWordWhateverItsCaseSpacesAndPunctuation() {
    for (String text : List.of("STOP", "stop", " Stop. ", "...stop!!", "\"Unsubscribe\"", " стоп! ", "Отписаться", "\tSTOP\n")) {
      assertTrue(words.matches(text), text);
    }
  }

  @Test
  void aMessageThatOnlyContainsAStopWordIsNotOne() {
    for (String text : List.of("please stop", "stop it", "don't stop", "STOPPED", "st op", "", "   ", "!!!")) {
      assertFalse(words.matches(text), text);
    }
    assertFalse(words.matches(null));
  }
}
