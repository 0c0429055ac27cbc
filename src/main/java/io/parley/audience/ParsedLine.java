package io.parley.audience;

/** The verdict on one audience line: a normalized target, or the reason it was refused. */
public sealed interface ParsedLine permits ParsedLine.Target, ParsedLine.Invalid {

  /** A usable target; {@code address} is normalized, so equal targets have equal addresses. */
  record Target(String address, TargetKind kind) implements ParsedLine {}

  /** A refused line; {@code reason} is written for the marketer who uploaded it. */
  record Invalid(String reason) implements ParsedLine {}

  static ParsedLine invalid(String reason) {
    return new Invalid(reason);
  }
}
