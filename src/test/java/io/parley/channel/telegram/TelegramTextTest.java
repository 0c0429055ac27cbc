package io.parley.channel.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.telegram.telegrambots.meta.api.objects.message.Message;

/** Every kind of Telegram message as the text Parley keeps, read from the Bot API's JSON as the library parses it. */
class TelegramTextTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String text(String parts) throws Exception {
    Message m = JSON.readValue("{\"message_id\":7,\"date\":1764000000,\"chat\":{\"id\":5,\"type\":\"private\"}," + parts + "}",
        Message.class);
    return TelegramText.of(m);
  }

  @Test
  void textsAndCaptionedMedia() throws Exception {
    assertEquals("hello", text("\"text\":\"hello\""));
    assertEquals("[photo] my order",
        text("\"photo\":[{\"file_id\":\"a\",\"file_unique_id\":\"b\",\"width\":1,\"height\":1}],\"caption\":\"my order\""));
    assertEquals("[voice]", text("\"voice\":{\"file_id\":\"a\",\"file_unique_id\":\"b\",\"duration\":3}"));
    assertEquals("[document] invoice", text("\"document\":{\"file_id\":\"a\",\"file_unique_id\":\"b\"},\"caption\":\"invoice\""));
    assertEquals("[video_note]", text("\"video_note\":{\"file_id\":\"a\",\"file_unique_id\":\"b\",\"length\":1,\"duration\":1}"));
  }

  @Test
  void stickersContactsPlacesPollsAndDice() throws Exception {
    assertEquals("[sticker] 👍", text("\"sticker\":{\"file_id\":\"a\",\"file_unique_id\":\"b\",\"type\":\"regular\","
        + "\"width\":1,\"height\":1,\"is_animated\":false,\"is_video\":false,\"emoji\":\"👍\"}"));
    assertEquals("[contact] +79123456789 Olga Petrova",
        text("\"contact\":{\"phone_number\":\"+79123456789\",\"first_name\":\"Olga\",\"last_name\":\"Petrova\"}"));
    assertEquals("[location] 55.75,37.61", text("\"location\":{\"latitude\":55.75,\"longitude\":37.61}"));
    assertEquals("[venue] Cafe Pushkin Tverskoy blvd 26A", text("\"location\":{\"latitude\":55.75,\"longitude\":37.61},"
        + "\"venue\":{\"location\":{\"latitude\":55.75,\"longitude\":37.61},\"title\":\"Cafe Pushkin\",\"address\":\"Tverskoy blvd 26A\"}"));
    assertEquals("[poll] Which day?", text("\"poll\":{\"id\":\"p\",\"question\":\"Which day?\",\"options\":[],"
        + "\"total_voter_count\":0,\"is_closed\":false,\"is_anonymous\":true,\"type\":\"regular\",\"allows_multiple_answers\":false}"));
    assertEquals("[dice] 🎲 4", text("\"dice\":{\"emoji\":\"🎲\",\"value\":4}"));
  }

  @Test
  void aMessageWithNothingSentReadsAsNothing() throws Exception {
    assertNull(text("\"new_chat_title\":\"renamed\""));
  }
}
