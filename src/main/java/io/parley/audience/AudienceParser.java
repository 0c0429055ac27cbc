package io.parley.audience;

import io.parley.channel.Platform;
import java.util.Locale;

/**
 * Validates and normalizes one audience line for a platform (§3). Pure and thread-safe. Callers skip
 * blank lines before asking; a blank line given here is refused.
 *
 * <p>Telegram accepts phones and numeric chat ids, which both can be bare digits. The rule: a line is a
 * phone if it starts with {@code +}, contains separators (spaces, dashes, parentheses, dots), or is 11
 * digits starting with 7 or 8 (Russian numbers, 8 meaning +7); any other bare integer, or one with a
 * minus sign (groups), is a chat id. Phones of other countries therefore need their {@code +}.
 */
public final class AudienceParser {
  static final int MAX_ID_LENGTH = 256;
  private static final int MAX_CHAT_ID_DIGITS = 18; // fits a long; Telegram ids use at most 52 bits

  private final Platform platform;

  private AudienceParser(Platform platform) {
    this.platform = platform;
  }

  public static AudienceParser forPlatform(Platform platform) {
    return new AudienceParser(platform);
  }

  public Platform platform() {
    return platform;
  }

  /** Verdict on {@code line}, which is trimmed first. */
  public ParsedLine parse(String line) {
    String text = line.strip();
    if (text.isEmpty()) return ParsedLine.invalid("the line is empty");
    return switch (platform) {
      case WHATSAPP -> whatsapp(text);
      case TELEGRAM -> telegram(text);
      case VK -> vk(text);
      case WEB, AVITO, INSTAGRAM -> identifier(text);
    };
  }

  private static ParsedLine whatsapp(String text) {
    PhoneNumbers.Spelling phone = PhoneNumbers.spelling(text);
    if (phone == null) {
      return ParsedLine.invalid("a WhatsApp target is a phone number with its country code, such as +79123456789");
    }
    return PhoneNumbers.international(phone.digits());
  }

  private static ParsedLine telegram(String text) {
    if (text.startsWith("@")) return username(text);
    if (text.startsWith("-")) return chatId(text);
    PhoneNumbers.Spelling phone = PhoneNumbers.spelling(text);
    if (phone == null) {
      return ParsedLine.invalid("a Telegram target is an @username, a phone number or a numeric chat id");
    }
    String digits = phone.digits();
    if (!phone.plus() && digits.length() == 11 && (digits.charAt(0) == '7' || digits.charAt(0) == '8')) {
      return PhoneNumbers.international("7" + digits.substring(1));
    }
    if (phone.plus() || phone.separated()) return PhoneNumbers.international(digits);
    return chatId(digits);
  }

  private static ParsedLine username(String text) {
    int length = text.length() - 1;
    if (length < 5 || length > 32) {
      return ParsedLine.invalid("a Telegram username has 5 to 32 characters after the @, this one has " + length);
    }
    for (int i = 1; i < text.length(); i++) {
      if (!isUsernameChar(text.charAt(i))) {
        return ParsedLine.invalid("a Telegram username has only letters, digits and _ after the @");
      }
    }
    return new ParsedLine.Target(text.toLowerCase(Locale.ROOT), TargetKind.USERNAME);
  }

  private static boolean isUsernameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  private static ParsedLine chatId(String text) {
    Long id = integer(text, MAX_CHAT_ID_DIGITS);
    if (id == null || id == 0) return ParsedLine.invalid("a Telegram chat id is a whole number such as 123456789 or -100123456789");
    return new ParsedLine.Target(Long.toString(id), TargetKind.CHAT_ID);
  }

  private static ParsedLine vk(String text) {
    Long id = integer(text, MAX_CHAT_ID_DIGITS);
    if (id == null || id == 0) {
      return ParsedLine.invalid("a VK target is a user id such as 12345678 or a community id such as -12345678");
    }
    return new ParsedLine.Target(Long.toString(id), id > 0 ? TargetKind.VK_USER : TargetKind.VK_COMMUNITY);
  }

  /** An optionally negative integer without leading zeros or plus sign, or null. */
  private static Long integer(String text, int maxDigits) {
    int start = text.startsWith("-") ? 1 : 0;
    int digits = text.length() - start;
    if (digits < 1 || digits > maxDigits || text.charAt(start) == '0') return null;
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') return null;
    }
    return Long.parseLong(text);
  }

  private static ParsedLine identifier(String text) {
    int length = text.codePointCount(0, text.length());
    if (length > MAX_ID_LENGTH) {
      return ParsedLine.invalid("an identifier has at most " + MAX_ID_LENGTH + " characters, this one has " + length);
    }
    boolean printable = text.codePoints().allMatch(cp -> !Character.isISOControl(cp)
        && Character.getType(cp) != Character.UNASSIGNED && Character.getType(cp) != Character.SURROGATE);
    if (!printable) return ParsedLine.invalid("an identifier has only printable characters");
    return new ParsedLine.Target(text, TargetKind.ID);
  }
}
