package io.wal4j.impls.kafka;

import io.wal4j.api.WALStorageException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;

/**
 * The one place where Kafka client failures become wal4j exceptions. Stateless.
 */
final class KafkaErrors {

    private KafkaErrors() {
    }

    /** @return the failure inside {@link ExecutionException}/{@link CompletionException} wrappers */
    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * @return whether {@code failure} (or a cause of it) says a newer producer with the same transactional id took
     *     over: the writer is fenced for good
     */
    static boolean isFenced(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * @param what     what was attempted, e.g. {@code "create topic wal4j-orders"}
     * @param settings where: the servers are named in the message
     * @return a storage exception naming the action, the servers and the Kafka failure
     */
    static WALStorageException storage(String what, KafkaSettings settings, Throwable failure) {
        Throwable cause = unwrap(failure);
        return new WALStorageException(what + " failed on the Kafka cluster at " + settings.servers() + ": "
                + cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
    }
}
