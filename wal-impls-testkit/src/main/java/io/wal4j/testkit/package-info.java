/**
 * The conformance kits every wal4j backend runs: public abstract JUnit 5 classes whose only abstract method builds
 * what is under test. A backend subclasses {@link io.wal4j.testkit.WALImplsConformanceTest} in its own test sources
 * (named {@code XxxWALImplsConformanceTest} so Surefire runs it) and inherits every check of the backend contract;
 * checks for a capability the backend lacks are skipped with a JUnit assumption that states the reason.
 *
 * <p>The package-private classes are the kits' helpers: the check groups, bounded waits and message comparisons,
 * named kit threads, and the fake id of a backend that does not exist.
 */
package io.wal4j.testkit;
