/**
 * The adaptor: everything that turns a backend of {@code io.wal4j.spi} into the user API of {@code io.wal4j.api}.
 *
 * <p>Entry point: {@link io.wal4j.adaptor.WALRegistry#builder(String, io.wal4j.adaptor.interceptor.InterceptorBuilder...)}.
 * The classes behind it are package-private and handed out by it: an {@code OpenerAdaptor} owning its WALs, a
 * {@code WALAdaptor} (read-write: lifetime, interceptor chain, retrying backend append, fencing, metrics) or a
 * {@code ReadOnlyWALAdaptor}, each owning its scanners, and a {@code ScannerAdaptor} pulling messages from a
 * {@code SwitchableSource} (catch-up from the backend, tailing from the write-ahead buffer) through a pipeline of scan
 * stages (delivery filters, then reordering by time tick). Time ticks are assigned by the built-in
 * {@code TimeTickInterceptor} and published by a {@code TimeTickSyncOperator} per channel (package
 * {@code io.wal4j.adaptor.timetick} holds their logic). See the module's README for the layers, the lifetimes, the
 * configuration keys and how to write an interceptor.
 */
package io.wal4j.adaptor;
