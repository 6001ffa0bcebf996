package io.wal4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wal4j.api.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoWorkspaceTest {

    private static DemoSettings settings(String backend, Optional<Path> dir, Optional<Durability> durability,
                                         boolean keep) {
        return new DemoSettings(backend, dir, "demo", 10, 1, 0, 1, durability, keep);
    }

    @Test
    void theFileBackendIsTheDefaultWhenItIsOnTheClassPath() {
        assertThat(DemoWorkspace.defaultBackend()).isEqualTo("file");
    }

    @Test
    void aTemporaryDirectoryIsCreatedForTheFileBackendAndDeletedWithItsContentOnClose() throws Exception {
        Path dir;
        try (DemoWorkspace workspace = DemoWorkspace.create(settings("file", Optional.empty(), Optional.empty(),
                false))) {
            dir = Path.of(workspace.config().asMap().get(DemoWorkspace.FILE_DIR_KEY));
            Files.createDirectories(dir.resolve("demo"));
            Files.writeString(dir.resolve("demo").resolve("segment"), "data");
            assertThat(workspace.describe()).contains("data in " + dir + " (temporary, deleted at the end");
        }
        assertThat(dir).doesNotExist();
    }

    @Test
    void aTemporaryDirectoryIsKeptWhenAsked() throws Exception {
        Path dir;
        try (DemoWorkspace workspace = DemoWorkspace.create(settings("file", Optional.empty(), Optional.empty(),
                true))) {
            dir = Path.of(workspace.config().asMap().get(DemoWorkspace.FILE_DIR_KEY));
        }
        assertThat(dir).isDirectory();
        Files.delete(dir);
    }

    @Test
    void aGivenDirectoryIsUsedAndNeverDeleted(@TempDir Path dir) {
        try (DemoWorkspace workspace = DemoWorkspace.create(settings("file", Optional.of(dir), Optional.empty(),
                false))) {
            assertThat(workspace.config().asMap()).containsEntry(DemoWorkspace.FILE_DIR_KEY, dir.toString());
        }
        assertThat(dir).isDirectory();
    }

    @Test
    void aDurabilityOtherThanTheBackendsDefaultIsAskedThroughTheAdaptorsKey() {
        try (DemoWorkspace workspace = DemoWorkspace.create(settings("file", Optional.empty(),
                Optional.of(Durability.OS), false))) {
            assertThat(workspace.config().asMap()).containsEntry("wal.adaptor.durability", "OS");
        }
    }

    @Test
    void theBackendsDefaultDurabilityNeedsNoKey() {
        try (DemoWorkspace workspace = DemoWorkspace.create(settings("memory", Optional.empty(),
                Optional.of(Durability.MEMORY), false))) {
            assertThat(workspace.config().asMap()).isEqualTo(Map.of());
            assertThat(workspace.describe()).isEqualTo("backend memory, channel demo, data in memory");
        }
    }

    @Test
    void anUnsupportedDurabilityIsRefusedNamingTheSupportedLevels() {
        assertThatThrownBy(() -> DemoWorkspace.create(settings("file", Optional.empty(),
                Optional.of(Durability.REPLICATED), false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("backend file supports durability [OS, DISK], not --durability REPLICATED");
    }

    @Test
    void anUnknownBackendIsRefusedListingTheAvailableOnes() {
        assertThatThrownBy(() -> DemoWorkspace.create(settings("tape", Optional.empty(), Optional.empty(), false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown backend \"tape\"").hasMessageContaining("file")
                .hasMessageContaining("memory");
    }
}
