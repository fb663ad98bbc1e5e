// Run the repackaged jar as its users do, once per transport, and check every line of the scenario.
import dev.multiproc.it.ConsumerChecks

ConsumerChecks.launched(basedir, ['-jar', 'target/app.jar'], [])
