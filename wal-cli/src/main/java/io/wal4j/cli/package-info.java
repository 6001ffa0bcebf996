/**
 * The {@code wal} command line: {@link io.wal4j.cli.WalCommand} and its subcommands, built on picocli and shipped as
 * the runnable jar {@code wal-cli/target/wal.jar} (launched by {@code bin/wal}).
 *
 * <p>Exit codes: 0 success, 1 the command ran and failed (a verification found a lost, duplicated or reordered
 * message; a backend failed), 2 bad usage (an unknown option, an out-of-range value, an unknown backend).
 */
package io.wal4j.cli;
