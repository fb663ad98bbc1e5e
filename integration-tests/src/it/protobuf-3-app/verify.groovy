// Run the application from a plain class path that holds protobuf-java 3.25 (and multiproc), once per transport.
import dev.multiproc.it.ConsumerChecks

def classPathFile = new File(basedir, 'target/classpath.txt')
if (!classPathFile.isFile()) {
    throw new AssertionError("the build wrote no ${classPathFile} (dependency:build-classpath); see build.log".toString())
}
def classPath = 'target/classes' + File.pathSeparator + classPathFile.text.trim()
ConsumerChecks.launched(basedir, ['-cp', classPath, 'app.ProtobufMain'], [
        "[protobuf] Timestamp comes from protobuf-java-${protobuf3Version}.jar".toString(),
        '[protobuf] Timestamp round trip: 2023-11-14T22:13:20Z'])
