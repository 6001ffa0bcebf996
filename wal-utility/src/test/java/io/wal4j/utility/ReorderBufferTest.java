package io.wal4j.utility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReorderBufferTest {

    /** A message-like item: time tick, id (log order) and a size. */
    record Item(long tick, long id, long size) {
        Item(long tick, long id) {
            this(tick, id, 10);
        }
    }

    private final ReorderBuffer<Item, Long> buffer = new ReorderBuffer<>(Item::tick, Item::id, Item::size);

    @Test
    void itemsPushedOutOfOrderArePoppedInTickOrder() {
        buffer.push(new Item(30, 1));
        buffer.push(new Item(10, 2));
        buffer.push(new Item(20, 3));

        assertThat(buffer.popUpTo(30)).containsExactly(new Item(10, 2), new Item(20, 3), new Item(30, 1));
        assertThat(buffer.isEmpty()).isTrue();
    }

    @Test
    void itemsWithTheSameTickArePoppedInIdOrder() {
        buffer.push(new Item(5, 9));
        buffer.push(new Item(5, 3));
        buffer.push(new Item(5, 7));

        assertThat(buffer.popUpTo(5)).extracting(Item::id).containsExactly(3L, 7L, 9L);
    }

    @ParameterizedTest(name = "popUpTo({0}) releases {1}, keeps {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # watermark | released ticks | kept ticks   (buffer holds ticks 10 20 20 30)
            9           | ''             | 10 20 20 30
            10          | 10             | 20 20 30
            19          | 10             | 20 20 30
            20          | 10 20 20       | 30
            29          | 10 20 20       | 30
            30          | 10 20 20 30    | ''
            1000        | 10 20 20 30    | ''
            """)
    void popUpToReleasesExactlyTheItemsAtOrBelowTheWatermark(long watermark, String released, String kept) {
        buffer.push(new Item(30, 1));
        buffer.push(new Item(20, 2));
        buffer.push(new Item(10, 3));
        buffer.push(new Item(20, 4));

        assertThat(buffer.popUpTo(watermark)).extracting(Item::tick).containsExactlyElementsOf(ticks(released));
        assertThat(buffer.popUpTo(Long.MAX_VALUE)).extracting(Item::tick).containsExactlyElementsOf(ticks(kept));
    }

    @Test
    void aDuplicateIdIsIgnoredAndCounted() {
        assertThat(buffer.push(new Item(10, 1))).isTrue();

        assertThat(buffer.push(new Item(10, 1))).isFalse();
        assertThat(buffer.push(new Item(12, 1))).as("same id, different tick").isFalse();

        assertThat(buffer.size()).isEqualTo(1);
        assertThat(buffer.duplicates()).isEqualTo(2);
        assertThat(buffer.popUpTo(20)).containsExactly(new Item(10, 1));
    }

    @ParameterizedTest(name = "after popUpTo(20), a push at tick {0} is accepted: {1}")
    @CsvSource({"19, false", "20, false", "21, true", "-5, false"})
    void itemsAtOrBelowTheWatermarkAreLate(long tick, boolean accepted) {
        buffer.popUpTo(20);

        assertThat(buffer.push(new Item(tick, 1))).isEqualTo(accepted);
        assertThat(buffer.late()).isEqualTo(accepted ? 0 : 1);
        assertThat(buffer.size()).isEqualTo(accepted ? 1 : 0);
    }

    @Test
    void aPoppedItemPushedAgainIsRejectedAsLateRatherThanAsADuplicate() {
        buffer.push(new Item(10, 1));
        buffer.popUpTo(10);

        // Ids are tracked only while buffered; an earlier copy can only come back late, and that is rejected.
        assertThat(buffer.push(new Item(10, 1))).isFalse();
        assertThat(buffer.late()).isEqualTo(1);
        assertThat(buffer.duplicates()).isZero();
    }

    @Test
    void beforeAnyPopEveryTickIsAcceptedEvenTheSmallest() {
        assertThat(buffer.watermark()).isEqualTo(Long.MIN_VALUE);
        assertThat(buffer.push(new Item(Long.MIN_VALUE, 1))).isTrue();

        assertThat(buffer.popUpTo(Long.MIN_VALUE)).containsExactly(new Item(Long.MIN_VALUE, 1));
    }

    @Test
    void aWatermarkBelowTheCurrentOneReleasesNothingAndDoesNotMoveBack() {
        buffer.push(new Item(15, 1));
        buffer.popUpTo(10);

        assertThat(buffer.popUpTo(5)).isEmpty();
        assertThat(buffer.watermark()).isEqualTo(10);
        assertThat(buffer.push(new Item(7, 2))).as("still late against 10").isFalse();
        assertThat(buffer.popUpTo(15)).containsExactly(new Item(15, 1));
    }

    @Test
    void bytesAndSizeFollowPushesAndPops() {
        buffer.push(new Item(1, 1, 100));
        buffer.push(new Item(2, 2, 20));
        buffer.push(new Item(3, 3, 3));
        buffer.push(new Item(3, 3, 3));

        assertThat(buffer.size()).isEqualTo(3);
        assertThat(buffer.bytes()).isEqualTo(123);

        buffer.popUpTo(2);

        assertThat(buffer.size()).isEqualTo(1);
        assertThat(buffer.bytes()).isEqualTo(3);
    }

    @Test
    void withoutASizeFunctionBytesStayZero() {
        ReorderBuffer<Item, Long> unsized = new ReorderBuffer<>(Item::tick, Item::id);
        unsized.push(new Item(1, 1, 100));

        assertThat(unsized.bytes()).isZero();
        assertThat(unsized.size()).isEqualTo(1);
    }

    @Test
    void aShuffledStreamWithDuplicatesComesOutSortedAndDeduplicatedAcrossManyWatermarks() {
        // A model check: 2,000 items with unique ids and colliding ticks, pushed nearly in tick order (as a log
        // delivers them) with every tenth item pushed twice; watermarks advance as a real time-tick stream would.
        Random random = new Random(20261125);
        List<Item> all = new ArrayList<>();
        for (long id = 0; id < 2000; id++) {
            all.add(new Item(random.nextInt(500), id));
        }
        List<Item> order = sortedByTickThenLocallyShuffled(all);

        List<Item> out = new ArrayList<>();
        long watermark = -1;
        int pushes = 0;
        for (Item item : order) {
            buffer.push(item);
            if (item.id() % 10 == 0) {
                assertThat(buffer.push(item)).isFalse();
            }
            if (++pushes % 50 == 0) {
                // Safe watermark: nothing below the smallest tick still to come.
                watermark = Math.max(watermark, minTickAfter(order, pushes) - 1);
                out.addAll(buffer.popUpTo(watermark));
            }
        }
        out.addAll(buffer.popUpTo(Long.MAX_VALUE));

        List<Item> expected = new ArrayList<>(all);
        expected.sort((a, b) -> a.tick() != b.tick() ? Long.compare(a.tick(), b.tick()) : Long.compare(a.id(),
                b.id()));
        assertThat(out).containsExactlyElementsOf(expected);
        assertThat(buffer.duplicates()).isEqualTo(200);
        assertThat(buffer.late()).isZero();
        assertThat(buffer.bytes()).isZero();
    }

    @Test
    void inOrderItemsFollowedByAnOutOfOrderOneAreStillReleasedSorted() {
        buffer.push(new Item(10, 1));
        buffer.push(new Item(20, 2));
        buffer.push(new Item(20, 3));
        buffer.push(new Item(30, 5));
        buffer.push(new Item(15, 4)); // an older tick with a newer id: leaves the in-order run

        assertThat(buffer.size()).isEqualTo(5);
        assertThat(buffer.bytes()).isEqualTo(50);
        assertThat(buffer.popUpTo(20)).containsExactly(new Item(10, 1), new Item(15, 4), new Item(20, 2),
                new Item(20, 3));
        assertThat(buffer.popUpTo(30)).containsExactly(new Item(30, 5));
        assertThat(buffer.isEmpty()).isTrue();
        assertThat(buffer.bytes()).isZero();
    }

    @Test
    void aSameTickItemWithASmallerIdIsOrderedById() {
        buffer.push(new Item(10, 5));
        buffer.push(new Item(10, 3));

        assertThat(buffer.popUpTo(10)).containsExactly(new Item(10, 3), new Item(10, 5));
    }

    @ParameterizedTest
    @CsvSource({"1", "2", "3"})
    void aDuplicateOfAnyInOrderItemIsIgnoredAndCounted(long duplicatedId) {
        buffer.push(new Item(10, 1));
        buffer.push(new Item(20, 2));
        buffer.push(new Item(30, 3));

        assertThat(buffer.push(new Item(duplicatedId * 10, duplicatedId))).isFalse();

        assertThat(buffer.duplicates()).isEqualTo(1);
        assertThat(buffer.size()).isEqualTo(3);
        assertThat(buffer.bytes()).isEqualTo(30);
        assertThat(buffer.popUpTo(30)).containsExactly(new Item(10, 1), new Item(20, 2), new Item(30, 3));
    }

    @Test
    void afterTheSortedItemsDrainInOrderItemsAreHeldAsARunAgain() {
        buffer.push(new Item(20, 2));
        buffer.push(new Item(10, 1));
        assertThat(buffer.popUpTo(20)).containsExactly(new Item(10, 1), new Item(20, 2));

        for (long id = 3; id < 200; id++) {
            assertThat(buffer.push(new Item(20 + id, id))).isTrue();
        }
        assertThat(buffer.push(new Item(120, 102))).as("a duplicate still found").isFalse();

        List<Item> out = new ArrayList<>();
        assertThat(buffer.popUpTo(100, out::add)).isEqualTo(78);
        assertThat(out).extracting(Item::id).containsExactlyElementsOf(ids(3, 81));
        assertThat(buffer.size()).isEqualTo(119);
        assertThat(buffer.popUpTo(Long.MAX_VALUE)).extracting(Item::id).containsExactlyElementsOf(ids(81, 200));
        assertThat(buffer.bytes()).isZero();
    }

    @Test
    void popUpToWithASinkReleasesInOrderAndReportsHowMany() {
        buffer.push(new Item(30, 1));
        buffer.push(new Item(10, 2));
        buffer.push(new Item(40, 3));
        List<Item> out = new ArrayList<>();

        assertThat(buffer.popUpTo(30, out::add)).isEqualTo(2);
        assertThat(out).containsExactly(new Item(10, 2), new Item(30, 1));
        assertThat(buffer.popUpTo(35, out::add)).isZero();
        assertThat(buffer.watermark()).isEqualTo(35);
        assertThatThrownBy(() -> buffer.popUpTo(50, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("sink");
    }

    @Test
    void aRandomMostlyOrderedStreamMatchesASortedModel() {
        // Model check of both representations: long in-order stretches, then a disorder, a duplicate or a late item.
        Random random = new Random(11);
        TreeMap<String, Item> model = new TreeMap<>();
        long nextId = 0;
        long tick = 1_000; // positive, so the model's zero-padded keys sort like the numbers
        long watermark = Long.MIN_VALUE;
        long expectedDuplicates = 0;
        long expectedLate = 0;
        List<Item> pushed = new ArrayList<>();
        for (int step = 0; step < 10_000; step++) {
            int dice = random.nextInt(100);
            Item item;
            if (dice < 80 || pushed.isEmpty()) {
                tick += random.nextInt(3);
                item = new Item(tick, nextId++);
            } else if (dice < 90) {
                item = new Item(tick - random.nextInt(20), nextId++); // out of tick order, maybe late
            } else {
                item = pushed.get(pushed.size() - 1 - random.nextInt(Math.min(10, pushed.size()))); // again
            }
            String key = String.format("%012d/%012d", item.tick(), item.id());
            boolean late = watermark != Long.MIN_VALUE && item.tick() <= watermark;
            boolean duplicate = !late && model.containsKey(key);
            boolean accepted = buffer.push(item);
            assertThat(accepted).as("push %s", item).isEqualTo(!late && !duplicate);
            if (late) {
                expectedLate++;
            } else if (duplicate) {
                expectedDuplicates++;
            } else {
                model.put(key, item);
                pushed.add(item);
            }
            if (random.nextInt(25) == 0) {
                long upTo = tick - random.nextInt(5);
                List<Item> expected = new ArrayList<>();
                while (!model.isEmpty() && model.firstEntry().getValue().tick() <= upTo) {
                    expected.add(model.pollFirstEntry().getValue());
                }
                assertThat(buffer.popUpTo(upTo)).containsExactlyElementsOf(expected);
                watermark = Math.max(watermark, upTo);
            }
            assertThat(buffer.size()).isEqualTo(model.size());
        }
        assertThat(buffer.duplicates()).isEqualTo(expectedDuplicates);
        assertThat(buffer.late()).isEqualTo(expectedLate);
        assertThat(buffer.bytes()).isEqualTo(10L * model.size());
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> buffer.push(null)).isInstanceOf(NullPointerException.class).hasMessage("item");
        ReorderBuffer<Item, Long> nullIds = new ReorderBuffer<>(Item::tick, item -> null);
        assertThatThrownBy(() -> nullIds.push(new Item(1, 1)))
                .isInstanceOf(NullPointerException.class).hasMessage("id of item");
        ReorderBuffer<Item, Long> negative = new ReorderBuffer<>(Item::tick, Item::id, item -> -4L);
        assertThatThrownBy(() -> negative.push(new Item(1, 7)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("size of item 7 is negative: -4");
        assertThat(negative.size()).isZero();
        assertThatThrownBy(() -> new ReorderBuffer<Item, Long>(null, Item::id))
                .isInstanceOf(NullPointerException.class).hasMessage("tickOf");
        assertThatThrownBy(() -> new ReorderBuffer<Item, Long>(Item::tick, null))
                .isInstanceOf(NullPointerException.class).hasMessage("idOf");
        assertThatThrownBy(() -> new ReorderBuffer<Item, Long>(Item::tick, Item::id, null))
                .isInstanceOf(NullPointerException.class).hasMessage("sizeOf");
    }

    /** Sorting by tick with a window of local disorder mimics a log whose ids are nearly in tick order. */
    private static List<Item> sortedByTickThenLocallyShuffled(List<Item> items) {
        List<Item> sorted = new ArrayList<>(items);
        sorted.sort((a, b) -> Long.compare(a.tick(), b.tick()));
        Random random = new Random(7);
        for (int i = 0; i + 20 <= sorted.size(); i += 20) {
            Collections.shuffle(sorted.subList(i, i + 20), random);
        }
        return sorted;
    }

    private static long minTickAfter(List<Item> order, int pushed) {
        return order.subList(pushed, order.size()).stream().mapToLong(Item::tick).min().orElse(Long.MAX_VALUE);
    }

    private static List<Long> ids(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long id = from; id < to; id++) {
            out.add(id);
        }
        return out;
    }

    private static List<Long> ticks(String spaceSeparated) {
        List<Long> out = new ArrayList<>();
        if (spaceSeparated != null && !spaceSeparated.isBlank()) {
            for (String s : spaceSeparated.trim().split(" ")) {
                out.add(Long.valueOf(s));
            }
        }
        return out;
    }
}
