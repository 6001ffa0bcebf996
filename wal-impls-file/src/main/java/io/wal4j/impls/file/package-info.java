/**
 * The file backend: a durable, segmented local log, the embedded default of wal4j. One directory per channel holds
 * numbered segment files (format in {@code wal-impls-file/FORMAT.md}); one writer thread per channel group-commits
 * appends; open recovers the unsealed tail and reports what it dropped. Entry point: {@link
 * io.wal4j.impls.file.FileOpenerBuilder}, registered as {@code file}.
 */
package io.wal4j.impls.file;
