/**
 * Small concurrent building blocks shared by the SPI, the adaptor and the backends: {@link io.wal4j.utility.Lifetime}
 * (in-flight counting with close-and-wait), backoff, closeables and named threads. Depends on nothing but slf4j.
 */
package io.wal4j.utility;
