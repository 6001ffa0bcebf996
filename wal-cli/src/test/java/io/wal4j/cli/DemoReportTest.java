package io.wal4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wal4j.api.Durability;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DemoReportTest {

    private static DemoSettings settings(Optional<Durability> durability) {
        return new DemoSettings("memory", Optional.empty(), "demo", 1000, 2, 100, 8, durability, false);
    }

    private static String print(DemoReport report) {
        StringWriter out = new StringWriter();
        report.print(new PrintWriter(out));
        return out.toString();
    }

    @Test
    void ratesAreAcknowledgedAppendsAndPayloadBytesPerSecondOfAppendTime() {
        DemoReport report = new DemoReport(settings(Optional.empty()), 1000, 0, Map.of(Durability.MEMORY, 1000L),
                500_000_000L, 1000, 0, 0, new long[0], 0, List.of());

        assertThat(report.appendsPerSecond()).isEqualTo(2000.0);
        assertThat(report.megabytesPerSecond()).isEqualTo(0.2);
        assertThat(print(report)).contains("in 0.500 s: 2000 appends/s, 0.2 MB/s; durability MEMORY");
    }

    @Test
    void lagPercentilesAreTakenFromTheSortedLags() {
        long[] lags = new long[100];
        for (int i = 0; i < lags.length; i++) {
            lags[i] = (i + 1) * 1_000_000L;
        }
        DemoReport report = new DemoReport(settings(Optional.empty()), 1000, 0, Map.of(Durability.MEMORY, 1000L),
                1_000_000_000L, 100, 0, 0, lags, 3_000_000L, List.of());

        assertThat(print(report)).contains("p50 50.00 ms, p99 99.00 ms, max 100.00 ms; caught up 3.00 ms");
    }

    @Test
    void aLevelOtherThanAskedIsShownNextToTheLevelReached() {
        DemoReport report = new DemoReport(settings(Optional.of(Durability.OS)), 1000, 0,
                Map.of(Durability.DISK, 1000L), 1_000_000L, 1000, 0, 0, new long[0], 0, List.of());

        assertThat(print(report)).contains("durability DISK (asked OS)");
    }

    @Test
    void problemsTurnTheVerdictIntoFailedAndAreListed() {
        DemoReport report = new DemoReport(settings(Optional.empty()), 999, 1, Map.of(Durability.MEMORY, 999L),
                1_000_000L, 999, 2, 5, new long[0], 0, List.of("1 of 1000 appends failed", "something else"));

        String printed = print(report);
        assertThat(report.succeeded()).isFalse();
        assertThat(printed).contains("also read 2 messages of earlier runs and 5 system messages",
                "FAILED:\n  1 of 1000 appends failed\n  something else").doesNotContain("OK:");
    }
}
