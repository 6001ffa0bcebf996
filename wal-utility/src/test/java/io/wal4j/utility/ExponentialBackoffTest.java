package io.wal4j.utility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExponentialBackoffTest {

    @ParameterizedTest(name = "{0} → {1} ×{2}: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # initial | max    | multiplier | expected delays in ms, first calls to next()
            10        | 5000   | 2.0        | 10 20 40 80 160 320 640 1280 2560 5000 5000 5000
            100       | 5000   | 2.0        | 100 200 400 800 1600 3200 5000 5000
            100       | 1000   | 1.5        | 100 150 225 337.5 506.25 759.375 1000 1000
            10        | 10     | 2.0        | 10 10 10
            10        | 10     | 1.0        | 10 10 10
            7         | 100    | 1.0        | 7 7 7 7
            1         | 1000   | 10.0       | 1 10 100 1000 1000
            1         | 999    | 10.0       | 1 10 100 999 999
            5000      | 5001   | 3.0        | 5000 5001 5001
            """)
    void delaysGrowByTheMultiplierUntilCappedAtMax(long initialMs, long maxMs, double multiplier, String expected) {
        ExponentialBackoff backoff = new ExponentialBackoff(ms(initialMs), ms(maxMs), multiplier);

        assertThat(take(backoff, count(expected))).isEqualTo(parseMillis(expected));
    }

    @ParameterizedTest(name = "{0}ns ×{1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # initial ns | multiplier | expected delays in ns: rounding never stalls growth
            1            | 1.1        | 1 2 3 4 5 6 7 8
            1            | 1.5        | 1 2 3 5 8 12 18 27
            3            | 1.01       | 3 4 5 6 7
            """)
    void tinyDelaysStillGrowByAtLeastOneNanosecond(long initialNanos, double multiplier, String expected) {
        ExponentialBackoff backoff = new ExponentialBackoff(Duration.ofNanos(initialNanos), Duration.ofSeconds(1),
                multiplier);

        List<Long> expectedNanos = Arrays.stream(expected.split(" ")).map(Long::valueOf).collect(Collectors.toList());
        assertThat(take(backoff, expectedNanos.size())).extracting(Duration::toNanos).isEqualTo(expectedNanos);
    }

    @Test
    void resetRestartsTheSequenceAtInitial() {
        ExponentialBackoff backoff = new ExponentialBackoff(ms(10), ms(5000), 2.0);
        take(backoff, 5);

        backoff.reset();

        assertThat(take(backoff, 3)).containsExactly(ms(10), ms(20), ms(40));
    }

    @Test
    void resetAfterReachingMaxStartsOverFromInitial() {
        ExponentialBackoff backoff = new ExponentialBackoff(ms(10), ms(30), 2.0);
        assertThat(take(backoff, 4)).containsExactly(ms(10), ms(20), ms(30), ms(30));

        backoff.reset();

        assertThat(backoff.next()).isEqualTo(ms(10));
    }

    @Test
    void aMaxBeyondTheNanosecondRangeSaturatesInsteadOfOverflowing() {
        ExponentialBackoff backoff = new ExponentialBackoff(Duration.ofDays(365L * 200), Duration.ofDays(365L * 1000),
                2.0);

        assertThat(backoff.next()).isEqualTo(Duration.ofDays(365L * 200));
        assertThat(backoff.next()).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
        assertThat(backoff.next()).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
    }

    @Test
    void jitterStaysWithinTheBandAroundTheExactDelayAndNeverExceedsMax() {
        ExponentialBackoff exact = new ExponentialBackoff(ms(100), ms(1000), 2.0);
        ExponentialBackoff jittered = new ExponentialBackoff(ms(100), ms(1000), 2.0, 0.2, new SplittableRandom(42));

        for (int i = 0; i < 200; i++) {
            long exactNanos = exact.next().toNanos();
            long got = jittered.next().toNanos();
            assertThat(got).isBetween(Math.round(exactNanos * 0.8), Math.min(Math.round(exactNanos * 1.2),
                    ms(1000).toNanos()));
        }
    }

    @Test
    void jitterDoesNotCompoundIntoTheSequence() {
        // A draw of 0.75 scales every delay by exactly 1.05: the delays are exact ×1.05 (capped), never ×1.05^n.
        ExponentialBackoff backoff = new ExponentialBackoff(ms(100), ms(1000), 2.0, 0.1, new FixedDraw(0.75));

        assertThat(take(backoff, 5)).containsExactly(ms(105), ms(210), ms(420), ms(840), ms(1000));
    }

    @Test
    void theSameSeedGivesTheSameJitteredSequence() {
        List<Duration> first = take(new ExponentialBackoff(ms(10), ms(5000), 2.0, 0.5, new SplittableRandom(7)), 20);
        List<Duration> second = take(new ExponentialBackoff(ms(10), ms(5000), 2.0, 0.5, new SplittableRandom(7)), 20);

        assertThat(first).isEqualTo(second);
        assertThat(first).isNotEqualTo(take(new ExponentialBackoff(ms(10), ms(5000), 2.0), 20));
    }

    @Test
    void zeroJitterNeedsNoRandomGenerator() {
        ExponentialBackoff backoff = new ExponentialBackoff(ms(10), ms(100), 2.0, 0.0, null);

        assertThat(take(backoff, 3)).containsExactly(ms(10), ms(20), ms(40));
    }

    @ParameterizedTest(name = "initial={0}ms max={1}ms multiplier={2}")
    @CsvSource(delimiter = '|', textBlock = """
            # initial ms | max ms | multiplier | message fragment
            0            | 100    | 2.0        | initial must be positive, got PT0S
            -1           | 100    | 2.0        | initial must be positive, got PT-0.001S
            10           | 0      | 2.0        | max must be positive, got PT0S
            10           | -5     | 2.0        | max must be positive, got PT-0.005S
            200          | 100    | 2.0        | initial PT0.2S is greater than max PT0.1S
            10           | 100    | 0.99       | multiplier must be finite and at least 1, got 0.99
            10           | 100    | 0.0        | multiplier must be finite and at least 1, got 0.0
            10           | 100    | -2.0       | multiplier must be finite and at least 1, got -2.0
            10           | 100    | NaN        | multiplier must be finite and at least 1, got NaN
            10           | 100    | Infinity   | multiplier must be finite and at least 1, got Infinity
            """)
    void badArgumentsAreRejectedWithTheValueInTheMessage(long initialMs, long maxMs, double multiplier,
                                                         String message) {
        assertThatThrownBy(() -> new ExponentialBackoff(ms(initialMs), ms(maxMs), multiplier))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "jitter={0}")
    @CsvSource({"-0.1", "1.0", "1.5", "NaN"})
    void jitterOutsideZeroToOneIsRejected(double jitter) {
        assertThatThrownBy(() -> new ExponentialBackoff(ms(10), ms(100), 2.0, jitter, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jitter must be in [0, 1), got " + jitter);
    }

    @Test
    void nullArgumentsAreNamed() {
        assertThatThrownBy(() -> new ExponentialBackoff(null, ms(100), 2.0))
                .isInstanceOf(NullPointerException.class).hasMessage("initial");
        assertThatThrownBy(() -> new ExponentialBackoff(ms(10), null, 2.0))
                .isInstanceOf(NullPointerException.class).hasMessage("max");
        assertThatThrownBy(() -> new ExponentialBackoff(ms(10), ms(100), 2.0, 0.1, null))
                .isInstanceOf(NullPointerException.class).hasMessage("random");
    }

    private static List<Duration> take(ExponentialBackoff backoff, int n) {
        List<Duration> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(backoff.next());
        }
        return out;
    }

    private static int count(String delays) {
        return delays.split(" ").length;
    }

    private static List<Duration> parseMillis(String delays) {
        return Arrays.stream(delays.split(" "))
                .map(s -> Duration.ofNanos(new BigDecimal(s).movePointRight(6).longValueExact()))
                .collect(Collectors.toList());
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    /** Draws the same double every time. */
    private static final class FixedDraw implements RandomGenerator {
        private final double draw;

        FixedDraw(double draw) {
            this.draw = draw;
        }

        @Override
        public long nextLong() {
            return Double.doubleToLongBits(draw);
        }

        @Override
        public double nextDouble() {
            return draw;
        }
    }
}
