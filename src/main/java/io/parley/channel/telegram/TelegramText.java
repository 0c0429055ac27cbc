package io.parley.channel.telegram;

import org.telegram.telegrambots.meta.api.objects.Contact;
import org.telegram.telegrambots.meta.api.objects.location.Location;
import org.telegram.telegrambots.meta.api.objects.message.Message;

/**
 * How a person's Telegram message reads in Parley, which keeps text (as WhatsApp's messages do): a text is
 * itself; media is {@code [photo]}, {@code [voice]} ... followed by the caption if any; a sticker carries
 * its emoji, a shared contact its phone and name, a location its coordinates, a venue its title and address,
 * a poll its question, a dice its emoji and value. Null for a message with nothing a person wrote or sent.
 */
final class TelegramText {
  private TelegramText() {}

  static String of(Message m) {
    if (m.hasText()) return m.getText();
    String caption = m.hasCaption() ? m.getCaption() : null;
    if (m.hasPhoto()) return tagged("photo", caption);
    if (m.hasVideo()) return tagged("video", caption);
    if (m.hasAnimation()) return tagged("animation", caption);
    if (m.hasDocument()) return tagged("document", caption);
    if (m.hasAudio()) return tagged("audio", caption);
    if (m.hasVoice()) return tagged("voice", caption);
    if (m.hasVideoNote()) return tagged("video_note", null);
    if (m.hasSticker()) return tagged("sticker", m.getSticker().getEmoji());
    if (m.hasContact()) return tagged("contact", contact(m.getContact()));
    if (m.getVenue() != null) {
      return tagged("venue", join(m.getVenue().getTitle(), m.getVenue().getAddress()));
    }
    if (m.hasLocation()) return tagged("location", where(m.getLocation()));
    if (m.hasPoll()) return tagged("poll", m.getPoll().getQuestion());
    if (m.hasDice()) {
      Integer value = m.getDice().getValue();
      return tagged("dice", join(m.getDice().getEmoji(), value == null ? null : value.toString()));
    }
    return caption;
  }

  private static String contact(Contact c) {
    String name = join(c.getFirstName(), c.getLastName());
    return join(c.getPhoneNumber(), name);
  }

  private static String where(Location l) {
    return l.getLatitude() == null || l.getLongitude() == null ? null : l.getLatitude() + "," + l.getLongitude();
  }

  private static String join(String first, String second) {
    if (first == null || first.isBlank()) return second == null || second.isBlank() ? null : second;
    return second == null || second.isBlank() ? first : first + " " + second;
  }

  private static String tagged(String type, String detail) {
    return "[" + type + "]" + (detail == null || detail.isBlank() ? "" : " " + detail);
  }
}
