/**
 * Cross-module integration tests: the README's example, end-to-end runs of every embedded backend through the
 * adaptor, close racing with appends. Run by Failsafe ({@code *IT}): {@code mvn -B -pl src-test-integration verify}.
 */
package io.wal4j.it;
