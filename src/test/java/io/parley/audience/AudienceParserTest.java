package io.parley.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.channel.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AudienceParserTest {
  private static ParsedLine.Target accepted(Platform platform, String line) {
    ParsedLine parsed = AudienceParser.forPlatform(platform).parse(line);
    return assertInstanceOf(ParsedLine.Target.class, parsed, line + " → " + parsed);
  }

  private static String refused(Platform platform, String line) {
    ParsedLine parsed = AudienceParser.forPlatform(platform).parse(line);
    return assertInstanceOf(ParsedLine.Invalid.class, parsed, line + " → " + parsed).reason();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "+79123456789|+79123456789",
      "79123456789|+79123456789",
      "+7 (912) 345-67-89|+79123456789",
      "  +1 650-253-0000  |+16502530000",
      "44 20 7946 0958|+442079460958",
      "4915123456789|+4915123456789"})
  void whatsappNormalizesToE164(String line, String expected) {
    ParsedLine.Target t = accepted(Platform.WHATSAPP, line);
    assertEquals(expected, t.address());
    assertEquals(TargetKind.PHONE, t.kind());
  }

  @ParameterizedTest
  @ValueSource(strings = {"+7912", "12345", "+999123456789", "phone: +79123456789", "+7912345678901234", "@someone",
      "+1 555 0000 000"})
  void whatsappRefusesWhatIsNotAValidNumber(String line) {
    assertTrue(!refused(Platform.WHATSAPP, line).isBlank());
  }

  @Test
  void whatsappReasonsSayWhatIsWrong() {
    assertTrue(refused(Platform.WHATSAPP, "+7912").contains("7 to 15 digits"));
    assertTrue(refused(Platform.WHATSAPP, "+10000000000").contains("not a valid phone number"));
    assertTrue(refused(Platform.WHATSAPP, "hello").contains("country code"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "+79123456789|+79123456789|phone",
      "79123456789|+79123456789|phone",
      "89123456789|+79123456789|phone",
      "8 (912) 345-67-89|+79123456789|phone",
      "+44 20 7946 0958|+442079460958|phone",
      "@Durov_Team|@durov_team|username",
      "@abcde|@abcde|username",
      "123456789|123456789|chat_id",
      "-1001234567890|-1001234567890|chat_id",
      "4915123456789|4915123456789|chat_id"})
  void telegramAcceptsUsernamesPhonesAndChatIds(String line, String address, String kind) {
    ParsedLine.Target t = accepted(Platform.TELEGRAM, line);
    assertEquals(address, t.address());
    assertEquals(kind, t.kind().wire());
  }

  @ParameterizedTest
  @ValueSource(strings = {"@abcd", "@this_username_is_far_too_long_for_tg", "@bad-name", "@имя_пользователя",
      "durov", "+7912", "0123", "-0", "12ab34", "12345678901234567890", "t.me/durov"})
  void telegramRefusesOtherShapes(String line) {
    assertTrue(!refused(Platform.TELEGRAM, line).isBlank());
  }

  @Test
  void telegramElevenDigitsStartingWithEightAreAlwaysPhones() {
    // 8 followed by ten digits that are no valid Russian number is refused as a phone, not read as a chat id
    assertTrue(refused(Platform.TELEGRAM, "80000000000").contains("not a valid phone number"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"12345678|12345678|vk_user", "-12345678|-12345678|vk_community",
      " 1 |1|vk_user"})
  void vkAcceptsUserAndCommunityIds(String line, String address, String kind) {
    ParsedLine.Target t = accepted(Platform.VK, line);
    assertEquals(address, t.address());
    assertEquals(kind, t.kind().wire());
  }

  @ParameterizedTest
  @ValueSource(strings = {"id12345", "0", "-0", "012345", "+12345", "12 345", "club123", "1.5",
      "123456789012345678901"})
  void vkRefusesAnythingElse(String line) {
    assertTrue(refused(Platform.VK, line).contains("VK target"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"WEB", "AVITO", "INSTAGRAM"})
  void identifiersAreTrimmedAndKeptAsTheyAre(Platform platform) {
    ParsedLine.Target t = accepted(platform, "  customer-42 @ Acme  ");
    assertEquals("customer-42 @ Acme", t.address());
    assertEquals(TargetKind.ID, t.kind());
    assertEquals("x".repeat(256), accepted(platform, "x".repeat(256)).address());
    assertEquals("é".repeat(256), accepted(platform, "é".repeat(256)).address(), "characters, not bytes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"WEB", "AVITO", "INSTAGRAM"})
  void identifiersRefuseTooLongAndControlCharacters(Platform platform) {
    assertTrue(refused(platform, "x".repeat(257)).contains("at most 256"));
    assertTrue(refused(platform, "a\u0007b").contains("printable"));
  }

  @Test
  void blankLinesAreRefusedWhenAskedDirectly() {
    for (Platform p : Platform.values()) assertTrue(refused(p, "   ").contains("empty"));
  }
}
