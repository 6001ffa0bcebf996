/**
 * The interceptor API of the adaptor: append middleware that stamps messages and fills the append result.
 *
 * <p>An {@link io.wal4j.adaptor.interceptor.InterceptorBuilder} builds one
 * {@link io.wal4j.adaptor.interceptor.Interceptor} per opened WAL from an
 * {@link io.wal4j.adaptor.interceptor.InterceptorBuildParam}. Each append runs
 * {@code doAppend(ctx, message, next)} from the outermost interceptor (listed first) inwards; the innermost
 * {@link io.wal4j.adaptor.interceptor.AppendNext} is the adaptor's retrying backend append, whose
 * {@link io.wal4j.adaptor.interceptor.AppendOutcome} (id + durability) flows back up. The
 * {@link io.wal4j.adaptor.interceptor.AppendContext} carries cancellation and the result fields interceptors fill.
 */
package io.wal4j.adaptor.interceptor;
