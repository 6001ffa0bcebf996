package io.wal4j.it.reliability;

/**
 * The sizes of the reliability runs: small by default so the whole module stays within CI's budget, raised by system
 * properties for a soak ({@code mvn verify -Dwal4j.kills=2000 -Dwal4j.soak.seconds=600 …}; Failsafe passes the
 * {@code wal4j.*} properties of the Maven command line to the test JVM).
 */
final class Soak {

    private Soak() {
    }

    /** @return how many SIGKILLs the process-kill matrix delivers in total ({@code wal4j.kills}, default 52) */
    static int kills() {
        return Integer.getInteger("wal4j.kills", 52);
    }

    /** @return how many random action sequences the model-based test runs per backend ({@code wal4j.model.runs}) */
    static int modelRuns() {
        return Integer.getInteger("wal4j.model.runs", 40);
    }

    /**
     * @return how long the concurrency soak runs in total, in seconds ({@code wal4j.soak.seconds}, default 60: the
     *     issue's 60 s in CI), split evenly over its backends (memory and file: 30 s each by default)
     */
    static int soakSeconds() {
        return Integer.getInteger("wal4j.soak.seconds", 60);
    }
}
