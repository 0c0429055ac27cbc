package io.parley.conversation;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Recognises an opt-out: the whole message is one stop word, whatever its case, surrounding spaces and
 * trailing punctuation ("Stop.", " стоп! "). A sentence that merely contains the word is not one.
 */
final class StopWords {
  private static final Pattern TRAILING = Pattern.compile("[\\p{Punct}\\s]+$");
  private static final Pattern LEADING = Pattern.compile("^[\\p{Punct}\\s]+");

  private final Set<String> words;

  StopWords(List<String> words) {
    this.words = words.stream().map(StopWords::normal).collect(Collectors.toUnmodifiableSet());
  }

  boolean matches(String text) {
    return text != null && words.contains(normal(text));
  }

  private static String normal(String s) {
    String bare = TRAILING.matcher(s.strip()).replaceAll("");
    return LEADING.matcher(bare).replaceAll("").toUpperCase(Locale.ROOT);
  }
}
