package io.wal4j.cli;

import io.wal4j.api.DeliverPolicy;

/**
 * Turns {@code --from} ({@code all}, {@code latest} or a message id as the tool prints it) into a
 * {@link DeliverPolicy}. Stateless.
 */
final class StartOption {

    private StartOption() {
    }

    /**
     * @param backend the backend the id must belong to
     * @param from    {@code all}, {@code latest} or an id such as {@code file:42}
     * @return the policy
     * @throws IllegalArgumentException quoting the value if it is none of these
     */
    static DeliverPolicy parse(String backend, String from) {
        return switch (from) {
            case "all" -> DeliverPolicy.all();
            case "latest" -> DeliverPolicy.latest();
            default -> {
                try {
                    yield DeliverPolicy.startFrom(Ids.parse(backend, from));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--from must be all, latest or a message id as printed by "
                            + "the tool (e.g. " + backend + ":42), got \"" + from + "\"", e);
                }
            }
        };
    }
}
