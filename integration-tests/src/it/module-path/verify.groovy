// Run the application as a named module on the module path (no class path at all), once per transport.
import dev.multiproc.it.ConsumerChecks

ConsumerChecks.launched(basedir, ['-p', 'target/mods', '-m', 'app/app.Main'], [])
