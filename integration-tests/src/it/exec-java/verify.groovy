// exec:java ran the scenario inside the consumer's Maven JVM: its lines are in build.log.
import dev.multiproc.it.ConsumerChecks

ConsumerChecks.ranInMaven(basedir, [])
