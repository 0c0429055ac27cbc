package io.parley.followup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.parley.support.Http;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Views and date order at the manager's UTC offset (SPEC §5), on a clock set by hand. */
class ManagerTaskViewsTest {
  static FollowUpRig rig;

  @BeforeAll
  static void start() {
    rig = new FollowUpRig();
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @BeforeEach
  void lateEveningInCalifornia() {
    rig.clock.set(Instant.parse("2026-01-06T07:30:00Z")); // 2026-01-05 23:30 at UTC-8
  }

  @Test
  void inboxAndFutureFollowTheManagersDay() {
    FollowUpRig.Manager m = rig.manager("Pacific");
    String today = rig.lead(m, "date-only, the manager's today", "2026-01-05").getString("id");
    String earlyUtc = rig.lead(m, "five past midnight UTC", "2026-01-06T00:05:00+00:00").getString("id");
    String lastMinute = rig.lead(m, "23:59 local", "2026-01-05T23:59:00-08:00").getString("id");
    String tomorrow = rig.lead(m, "date-only, the manager's tomorrow", "2026-01-06").getString("id");
    String afterMidnight = rig.lead(m, "00:05 local tomorrow", "2026-01-06T08:05:00+00:00").getString("id");

    assertEquals(List.of(today, earlyUtc, lastMinute), rig.ids(m.token(), "view=inbox&tz_offset=-8"));
    assertEquals(List.of(tomorrow, afterMidnight), rig.ids(m.token(), "view=future&tz_offset=-8"));
    Http.Response byHeader = rig.list(m.token(), "view=inbox", "-8");
    assertEquals(List.of(today, earlyUtc, lastMinute), FollowUpRig.ids(byHeader.json().getJsonArray("items")));
    // In UTC it is already 2026-01-06 07:30: everything is due today, nothing is in the future, and the
    // day 2026-01-06 starts before the task five minutes after midnight UTC.
    assertEquals(List.of(today, tomorrow, earlyUtc, lastMinute, afterMidnight), rig.ids(m.token(), "view=inbox&tz_offset=0"));
    assertEquals(List.of(), rig.ids(m.token(), "view=future&tz_offset=0"));
    // A fractional offset: at UTC+5:30 it is 13:00 on 2026-01-06.
    assertEquals(5, rig.ids(m.token(), "view=inbox&tz_offset=5.5").size());

    Http.Response done = rig.put("/api/manager-tasks/" + today, m.token(), new io.vertx.core.json.JsonObject().put("is_complete", true));
    assertEquals(200, done.status(), done.toString());
    assertEquals(List.of(today), rig.ids(m.token(), "view=archive&tz_offset=-8"));
    assertEquals(List.of(earlyUtc, lastMinute), rig.ids(m.token(), "view=inbox&tz_offset=-8"));
  }

  @Test
  void theManagersTimeZoneIsTheDefaultOffset() {
    FollowUpRig.Manager la = rig.manager("Los Angeles", "America/Los_Angeles", null);
    String tomorrow = rig.lead(la, "tomorrow in LA", "2026-01-06").getString("id");
    assertEquals(List.of(tomorrow), rig.ids(la.token(), "view=future"));
    assertEquals(List.of(), rig.ids(la.token(), "view=inbox"));
    // An explicit offset wins over the zone; the admin sees the manager's day through assigned_to.
    assertEquals(List.of(tomorrow), rig.ids(la.token(), "view=inbox&tz_offset=0"));
    assertEquals(List.of(tomorrow), rig.ids(io.parley.support.TestParley.ADMIN, "view=future&assigned_to=" + la.id()));
  }

  @Test
  void aDaySortsBeforeTheDateTimesOfThatLocalDay() {
    FollowUpRig.Manager m = rig.manager("Sorter");
    String seven = rig.lead(m, "07:00 UTC", "2026-01-12T07:00:00+00:00").getString("id");
    String eight = rig.lead(m, "08:00 UTC, local midnight at -8", "2026-01-12T08:00:00+00:00").getString("id");
    String day = rig.lead(m, "the day", "2026-01-12").getString("id");
    String earlier = rig.lead(m, "the day before", "2026-01-11").getString("id");
    String q = "assigned_to=" + m.id();

    assertEquals(List.of(earlier, seven, day, eight), rig.ids(m.token(), q + "&tz_offset=-8&order_by=date"));
    assertEquals(List.of(eight, day, seven, earlier), rig.ids(m.token(), q + "&tz_offset=-8&order_by=-date"));
    assertEquals(List.of(earlier, day, seven, eight), rig.ids(m.token(), q + "&tz_offset=0"));
    assertEquals(List.of(eight, seven, day, earlier), rig.ids(m.token(), q + "&tz_offset=0&order_by=-date"));
    assertEquals(List.of(seven, eight, day, earlier), rig.ids(m.token(), q + "&order_by=created"));
    assertEquals(List.of(earlier, day, eight, seven), rig.ids(m.token(), q + "&order_by=-created"));
  }

  @Test
  void pagesWalkTheSameOrder() {
    FollowUpRig.Manager m = rig.manager("Pager");
    List<String> expected = new ArrayList<>();
    for (int day = 10; day <= 13; day++) {
      expected.add(rig.lead(m, "day " + day, "2026-02-" + day).getString("id"));
      expected.add(rig.lead(m, "noon " + day, "2026-02-" + day + "T12:00:00+00:00").getString("id"));
      expected.add(rig.lead(m, "morning " + day, "2026-02-" + day + "T09:00:00+03:00").getString("id"));
    }
    for (String order : List.of("date", "-date", "created", "-created")) {
      List<String> all = rig.ids(m.token(), "tz_offset=-2&order_by=" + order);
      assertEquals(expected.size(), all.size());
      List<String> walked = new ArrayList<>();
      String after = null;
      do {
        Http.Response r = rig.list(m.token(), "tz_offset=-2&order_by=" + order + "&limit=2" + (after == null ? "" : "&after=" + after));
        assertEquals(200, r.status(), r.toString());
        walked.addAll(FollowUpRig.ids(r.json().getJsonArray("items")));
        after = r.json().getString("next");
      } while (after != null);
      assertEquals(all, walked, "paging in order " + order);
    }
    Http.Response last = rig.list(m.token(), "limit=1000");
    assertNull(last.json().getString("next"));
  }
}
