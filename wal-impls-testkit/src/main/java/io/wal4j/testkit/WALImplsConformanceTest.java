package io.wal4j.testkit;

import static io.wal4j.testkit.KitAssertions.await;

import io.wal4j.api.WALConfig;
import io.wal4j.spi.Capabilities;
import io.wal4j.spi.OpenerBuilderImpls;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backend contract, check by check: the Milvus walimpls test framework (reference §4) plus the close, fencing,
 * size and argument rules of the SPI's Javadoc. A backend runs it by subclassing it in its test sources with a name
 * ending in {@code ConformanceTest} and implementing the one hook, {@link #newBuilder()}:
 *
 * <pre>{@code
 * class MemoryWALImplsConformanceTest extends WALImplsConformanceTest {
 *     protected OpenerBuilderImpls newBuilder() { return new MemoryOpenerBuilder(); }
 * }
 * }</pre>
 *
 * <p>Each test builds a fresh opener from {@link #newBuilder()} and {@link #config()} and closes it afterwards;
 * channel names are unique per test ({@code test_<i>_<random>}), so backends whose state outlives an opener do not
 * interfere with themselves. A check that needs a capability the backend's {@link Capabilities} deny is skipped with
 * a JUnit assumption whose message names the capability; nothing is passed silently. Each test method delegates to
 * a package-private check class grouping one area (messages, channel life, close, arguments).
 *
 * <p>Every wait is bounded (30 s for the backend's work, one second for a close to release a blocked reader); the
 * only wait that is expected to run out is the one second in which a {@code latest()} scanner must deliver nothing.
 * Not thread-safe: JUnit runs each test method on its own instance.
 */
public abstract class WALImplsConformanceTest {

    private KitContext kit;

    /**
     * The one hook: the backend under test. Called once per test; the kit calls {@code build} on the result.
     *
     * @return a new builder of the backend
     */
    protected abstract OpenerBuilderImpls newBuilder();

    /**
     * The configuration given to {@link OpenerBuilderImpls#build}. A backend that needs a directory declares a
     * {@code @TempDir} field in its subclass and returns a configuration pointing into it.
     *
     * @return the configuration; {@link WALConfig#empty()} by default
     */
    protected WALConfig config() {
        return WALConfig.empty();
    }

    /**
     * @return messages written per channel and term in the Milvus framework run, the term marker included; at
     *     least 2. Default 100, as the Milvus framework uses for most backends.
     */
    protected int messageCount() {
        return 100;
    }

    /**
     * Whether a backend with {@linkplain Capabilities#truncate() truncation} drops exactly the truncated ids.
     * Truncation is advisory in the SPI: a backend that drops whole segments keeps some truncated ids and overrides
     * this to return false; the exact check is then skipped with an assumption.
     *
     * @return true by default
     */
    protected boolean truncationIsExact() {
        return true;
    }

    @BeforeEach
    final void buildOpener() {
        kit = KitContext.open(newBuilder(), config());
    }

    @AfterEach
    final void closeOpener() throws InterruptedException {
        if (kit != null) {
            kit.close();
        }
    }

    // --- the Milvus framework -------------------------------------------------------------------------------------

    @Test
    void threeChannelsAcrossThreeTermsPassTheMilvusFramework() {
        Capabilities capabilities = kit.capabilities();
        List<Future<?>> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            MilvusFrameworkRun run = new MilvusFrameworkRun(kit.opener(), kit.newChannel(), messageCount(),
                    kit.durability(), capabilities.readOnly(), capabilities.truncate() && truncationIsExact(),
                    kit.pool());
            runs.add(kit.pool().submit(() -> {
                run.run();
                return null;
            }));
        }
        for (int i = 0; i < runs.size(); i++) {
            await(runs.get(i), "framework run of channel " + i);
        }
    }

    // --- names, ids and messages ----------------------------------------------------------------------------------

    @Test
    void builderNameCodecAndCapabilitiesAgree() {
        messages().builderNameCodecAndCapabilitiesAgree();
    }

    @Test
    void idsRoundTripThroughTheCodecAndRefuseComparisonWithAnotherBackendsIds() {
        messages().idsRoundTripThroughTheCodecAndRefuseComparisonWithAnotherBackendsIds();
    }

    @Test
    void scannerNameEqualsTheReadOptionName() {
        messages().scannerNameEqualsTheReadOptionName();
    }

    @Test
    void writerChannelEqualsTheOpenOption() {
        messages().writerChannelEqualsTheOpenOption();
    }

    @Test
    void idsStrictlyIncreaseInCompletionOrderUnderConcurrentAppends() {
        messages().idsStrictlyIncreaseInCompletionOrderUnderConcurrentAppends();
    }

    @Test
    void propertiesAndPayloadsRoundTripExactlyIncludingReservedOnes() {
        messages().propertiesAndPayloadsRoundTripExactlyIncludingReservedOnes();
    }

    @Test
    void changingAMessageAfterItsAppendCompletedDoesNotChangeWhatIsStored() {
        messages().changingAMessageAfterItsAppendCompletedDoesNotChangeWhatIsStored();
    }

    @Test
    void appendSucceedsAtEverySupportedDurability() {
        messages().appendSucceedsAtEverySupportedDurability();
    }

    // --- channel life: terms, positions, read-only, truncation, fencing --------------------------------------------

    @Test
    void dataOfEarlierTermsStaysReadableAfterReopeningAtANewerTerm() {
        channels().dataOfEarlierTermsStaysReadableAfterReopeningAtANewerTerm();
    }

    @Test
    void startFromAndStartAfterPositionAtTheGivenId() {
        channels().startFromAndStartAfterPositionAtTheGivenId();
    }

    @Test
    void latestDeliversOnlyMessagesAppendedAfterTheScannerWasCreated() {
        channels().latestDeliversOnlyMessagesAppendedAfterTheScannerWasCreated();
    }

    @Test
    void readOnlyWALReadsTheChannelAndRefusesWrites() {
        channels().readOnlyWALReadsTheChannelAndRefusesWrites();
    }

    @Test
    void readLastReturnsTheMessageWithTheLargestIdOrEmptyOnAnEmptyChannel() {
        channels().readLastReturnsTheMessageWithTheLargestIdOrEmptyOnAnEmptyChannel();
    }

    @Test
    void truncateThenReopenKeepsEverythingAfterTheTruncatedId() {
        channels().truncateThenReopenKeepsEverythingAfterTheTruncatedId(truncationIsExact());
    }

    @Test
    void openingAHigherTermFencesTheOlderWriterForever() {
        channels().openingAHigherTermFencesTheOlderWriterForever();
    }

    @Test
    void openingALowerTermWhileAHigherTermWriterIsOpenFailsWithChannelFencedException() {
        channels().openingALowerTermWhileAHigherTermWriterIsOpenFailsWithChannelFencedException();
    }

    // --- close ----------------------------------------------------------------------------------------------------

    @Test
    void closeIsIdempotentForOpenerWALReadOnlyWALAndScanner() {
        closes().closeIsIdempotentForOpenerWALReadOnlyWALAndScanner();
    }

    @Test
    void closingAScannerReleasesAThreadBlockedInTake() {
        closes().closingAScannerReleasesAThreadBlockedInTake();
    }

    @Test
    void closingAScannerReleasesAThreadBlockedInPoll() {
        closes().closingAScannerReleasesAThreadBlockedInPoll();
    }

    @Test
    void closingTheWALReleasesAThreadBlockedInTakeOnItsScanner() {
        closes().closingTheWALReleasesAThreadBlockedInTakeOnItsScanner();
    }

    @Test
    void interruptingAThreadBlockedInTakeFailsWithWALClosedExceptionAndKeepsTheInterrupt() {
        closes().interruptingAThreadBlockedInTakeFailsWithWALClosedExceptionAndKeepsTheInterrupt();
    }

    @Test
    void closingTheWALClosesItsScanners() {
        closes().closingTheWALClosesItsScanners();
    }

    @Test
    void everyCallOnAClosedScannerFailsWithWALClosedException() {
        closes().everyCallOnAClosedScannerFailsWithWALClosedException();
    }

    @Test
    void everyCallOnAClosedWALFailsWithWALClosedException() {
        closes().everyCallOnAClosedWALFailsWithWALClosedException();
    }

    @Test
    void everyCallOnAClosedReadOnlyWALFailsWithWALClosedException() {
        closes().everyCallOnAClosedReadOnlyWALFailsWithWALClosedException();
    }

    @Test
    void openingOnAClosedOpenerFailsWithWALClosedException() {
        closes().openingOnAClosedOpenerFailsWithWALClosedException();
    }

    @Test
    void closeRacingWithConcurrentAppendsCompletesEveryAppendAndKeepsEveryAcknowledgedOne()
            throws InterruptedException {
        closes().closeRacingWithConcurrentAppendsCompletesEveryAppendAndKeepsEveryAcknowledgedOne();
    }

    @Test
    void closingTheOpenerLeavesNoBackendThreadBehind() {
        closes().closingTheOpenerLeavesNoBackendThreadBehind();
    }

    // --- bad arguments --------------------------------------------------------------------------------------------

    @Test
    void nullArgumentsFailWithNullPointerException() {
        arguments().nullArgumentsFailWithNullPointerException();
    }

    @Test
    void openingWithAReadOnlyOptionFailsWithIllegalArgumentException() {
        arguments().openingWithAReadOnlyOptionFailsWithIllegalArgumentException();
    }

    @Test
    void anUnsupportedDurabilityFailsTheAppendWithIllegalArgumentException() {
        arguments().anUnsupportedDurabilityFailsTheAppendWithIllegalArgumentException();
    }

    @Test
    void anotherBackendsMessageIdIsRefused() {
        arguments().anotherBackendsMessageIdIsRefused();
    }

    @Test
    void aMessageOverTheSizeLimitFailsWithMessageTooLargeExceptionAndIsNotStored() {
        arguments().aMessageOverTheSizeLimitFailsWithMessageTooLargeExceptionAndIsNotStored();
    }

    private MessageChecks messages() {
        return new MessageChecks(kit);
    }

    private ChannelChecks channels() {
        return new ChannelChecks(kit);
    }

    private CloseChecks closes() {
        return new CloseChecks(kit);
    }

    private ArgumentChecks arguments() {
        return new ArgumentChecks(kit);
    }
}
