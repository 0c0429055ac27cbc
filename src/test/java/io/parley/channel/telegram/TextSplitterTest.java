package io.parley.channel.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextSplitterTest {
  @Test
  void shortTextsStayWhole() {
    assertEquals(List.of("Hello!"), TextSplitter.split("Hello!"));
    assertEquals(List.of("x".repeat(4096)), TextSplitter.split("x".repeat(4096)));
  }

  @Test
  void cutsAtALineBreakFirst() {
    String first = "a".repeat(3000);
    String second = "b. ".repeat(600);
    List<String> parts = TextSplitter.split(first + "\n" + second.strip());
    assertEquals(List.of(first, second.strip()), parts);
  }

  @Test
  void thenAtASentenceEnd() {
    String sentence = "This sentence has exactly forty chars.. ";
    String text = sentence.repeat(150).strip(); // 6,000 characters, no line break
    List<String> parts = TextSplitter.split(text);
    assertEquals(2, parts.size());
    assertTrue(parts.get(0).endsWith(".."), parts.get(0).substring(parts.get(0).length() - 10));
    assertTrue(parts.get(0).length() <= 4096);
    assertEquals(text, parts.get(0) + " " + parts.get(1));
  }

  @Test
  void thenAtASpaceAndOnlyThenMidWord() {
    List<String> words = TextSplitter.split("word ".repeat(2000).strip());
    words.forEach(p -> assertTrue(p.length() <= 4096 && !p.startsWith(" ") && p.endsWith("word"), p.length() + ""));
    List<String> blob = TextSplitter.split("z".repeat(9000));
    assertEquals(List.of(4096, 4096, 808), blob.stream().map(String::length).toList());
  }

  @Test
  void neverSplitsASurrogatePair() {
    String text = "a".repeat(4095) + "😀" + "b".repeat(10);
    List<String> parts = TextSplitter.split(text);
    assertEquals(text, String.join("", parts));
    parts.forEach(p -> assertTrue(!Character.isLowSurrogate(p.charAt(0))));
  }
}
