package io.wal4j.adaptor;

import io.wal4j.api.AppendResult;
import io.wal4j.api.Txn;
import io.wal4j.api.message.MessageType;
import io.wal4j.api.message.MutableMessage;
import io.wal4j.api.message.ReservedProperties;
import io.wal4j.api.message.TxnContext;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The user's handle on a transaction begun by {@link WALAdaptor#beginTxnAsync}: stamps bodies with the transaction's
 * context and vchannel and appends the commit or rollback. Every rule (lease, state, commit waiting for bodies) is
 * enforced by the WAL's {@link TxnSession}, so a body appended directly with {@link MutableMessage#withTxnContext}
 * behaves the same.
 *
 * <p>Thread-safe and stateless apart from its immutable fields.
 */
final class TxnHandle implements Txn {

    private final WALAdaptor wal;
    private final String vchannel;
    private final AppendResult beginResult;
    private final TxnContext context;

    TxnHandle(WALAdaptor wal, String vchannel, AppendResult beginResult) {
        this.wal = wal;
        this.vchannel = vchannel;
        this.beginResult = beginResult;
        this.context = beginResult.txnContext().orElseThrow(() -> new IllegalStateException(
                "the begin of a transaction on " + vchannel + " reported no transaction context"));
    }

    @Override
    public TxnContext context() {
        return context;
    }

    @Override
    public String vchannel() {
        return vchannel;
    }

    @Override
    public AppendResult beginResult() {
        return beginResult;
    }

    @Override
    public CompletableFuture<AppendResult> appendAsync(MutableMessage body) {
        if (body == null) {
            return CompletableFuture.failedFuture(new NullPointerException("body"));
        }
        MutableMessage copy = body.copy();
        if (copy.vchannel().isEmpty()) {
            copy.withReservedProperty(ReservedProperties.VCHANNEL, vchannel);
        }
        return wal.appendAsync(copy.withTxnContext(context));
    }

    @Override
    public CompletableFuture<AppendResult> commitAsync(Map<String, String> properties) {
        MutableMessage commit;
        try {
            commit = MutableMessage.newBuilder().messageType(MessageType.COMMIT_TXN).vchannel(vchannel)
                    .properties(Objects.requireNonNull(properties, "properties")).build().withTxnContext(context);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return wal.appendTxnControl(commit);
    }

    @Override
    public CompletableFuture<AppendResult> rollbackAsync() {
        return wal.appendTxnControl(MutableMessage.newBuilder().messageType(MessageType.ROLLBACK_TXN)
                .vchannel(vchannel).build().withTxnContext(context));
    }

    @Override
    public String toString() {
        return "Txn{" + context + " on " + vchannel + " of " + wal.channel() + "}";
    }
}
