/**
 * The {@code wal} command line: {@link io.wal4j.cli.WalCommand} and its subcommands ({@code demo}, {@code append},
 * {@code tail}, {@code dump}, {@code verify}, {@code stats}, {@code truncate}, {@code bench},
 * {@code generate-completion}), built on picocli and shipped as the runnable jar {@code wal-cli/target/wal.jar}
 * (launched by {@code bin/wal}).
 *
 * <p>Exit codes: 0 success, 1 the command ran and failed (corruption found, a channel locked by another process, a
 * fenced term, a demo check that failed, a backend failure), 2 bad usage (an unknown option, an out-of-range value,
 * an unknown backend, a {@code --dir} that does not exist).
 */
package io.wal4j.cli;
