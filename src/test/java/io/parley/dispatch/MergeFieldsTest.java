package io.parley.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bson.Document;
import org.junit.jupiter.api.Test;

class MergeFieldsTest {
  @Test
  void fillsFieldsWhateverTheirCaseAndTheAddressAlways() {
    Document fields = new Document("Name", "Ann").append("city", "Oslo");
    assertEquals("Hi Ann from Oslo, this is for +4790000000.",
        MergeFields.render("Hi {{name}} from {{ CITY }}, this is for {{address}}.", "+4790000000", fields));
  }

  @Test
  void aMissingFieldLeavesNoDoubledSpaceAndNoSpaceBeforePunctuation() {
    assertEquals("Hi, how are you?", MergeFields.render("Hi {{name}}, how are  you {{nickname}}?", "a", new Document()));
    assertEquals("Hello", MergeFields.render("  {{title}} Hello {{name}}  ", "a", new Document()));
  }

  @Test
  void valuesAreInsertedLiterally() {
    Document fields = new Document("price", "$5 \\ {{name}}");
    assertEquals("It costs $5 \\ {{name}} today", MergeFields.render("It costs {{price}} today", "a", fields));
  }
}
