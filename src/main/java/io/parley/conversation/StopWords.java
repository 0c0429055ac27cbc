package io.parley.conversation;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Recognises an opt-out: the whole message is one stop word, whatever its case, surrounding spaces and
 * trailing punctuation ("Stop.", " стоп! "). A sentence that merely contains the word is not one.
 */
final class StopWords {
  private final Set<String> words;

  StopWords(List<String> words) {
    this.words = words.stream().map(StopWords::normal).collect(Collectors.toUnmodifiableSet());
  }

  boolean matches(String text) {
    return text != null && words.contains(normal(text));
  }

  private static String normal(String s) {
    return s.strip().replaceAll("[\\p{Punct}\\s]+$", "").replaceAll("^[\\p{Punct}\\s]+", "").toUpperCase(Locale.ROOT);
  }
}
