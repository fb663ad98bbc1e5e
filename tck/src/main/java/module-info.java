/**
 * The transport compatibility kit: abstract JUnit 5 contracts that every transport's tests extend. A transport
 * passes the kit when a subclass of each contract passes against it.
 */
module dev.multiproc.tck {
    requires transitive dev.multiproc;
    requires transitive org.junit.jupiter.api;
    // ResourceContract counts the JVM's threads before and after.
    requires java.management;
    // LockContract reads the JFR events a lock wait leaves in a recording.
    requires jdk.jfr;

    exports dev.multiproc.tck;
}
