package io.parley.channel.telegram;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a text into Telegram messages of at most {@link #MAX} characters, preferring a paragraph or line
 * break, then a sentence end, then a space; only a text without any of these in the second half of a
 * window is cut mid-word.
 */
final class TextSplitter {
  static final int MAX = 4096;

  private TextSplitter() {}

  static List<String> split(String text) {
    return split(text, MAX);
  }

  static List<String> split(String text, int max) {
    List<String> parts = new ArrayList<>();
    String rest = text;
    while (rest.length() > max) {
      int cut = cutPoint(rest, max);
      String part = rest.substring(0, cut).stripTrailing();
      if (!part.isEmpty()) parts.add(part);
      rest = rest.substring(cut).stripLeading();
    }
    if (!parts.isEmpty()) rest = rest.stripTrailing();
    if (!rest.isEmpty() || parts.isEmpty()) parts.add(rest);
    return parts;
  }

  private static int cutPoint(String text, int max) {
    String window = text.substring(0, max + 1);
    int half = max / 2;
    int paragraph = window.lastIndexOf("\n\n", max - 1);
    if (paragraph >= half) return paragraph + 2;
    int line = window.lastIndexOf('\n', max - 1);
    if (line >= half) return line + 1;
    int sentence = lastSentenceEnd(window, max);
    if (sentence >= half) return sentence;
    int space = window.lastIndexOf(' ', max);
    if (space >= half) return space + 1;
    // Never between the two halves of a surrogate pair.
    return Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
  }

  /** The index just after the last {@code .}, {@code !}, {@code ?} or {@code …} followed by whitespace. */
  private static int lastSentenceEnd(String window, int max) {
    for (int i = Math.min(max, window.length() - 1); i > 0; i--) {
      char c = window.charAt(i - 1);
      if ((c == '.' || c == '!' || c == '?' || c == '…') && Character.isWhitespace(window.charAt(i))) return i;
    }
    return -1;
  }
}
