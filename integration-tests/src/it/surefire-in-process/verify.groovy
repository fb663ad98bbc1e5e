// Surefire ran the scenario's tests inside the consumer's Maven JVM: their lines and the test count are in build.log.
import dev.multiproc.it.ConsumerChecks
import dev.multiproc.it.ScenarioLines

def tests = 1 + ScenarioLines.transports().size()
ConsumerChecks.ranInMaven(basedir, [
        "[surefire] the tests run in Maven's own JVM",
        "[INFO] Tests run: ${tests}, Failures: 0, Errors: 0, Skipped: 0".toString()])
