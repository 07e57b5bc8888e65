// Records JaCoCo coverage of a small "test run" of com.acme.Calc and writes the XML report.
// Uses the org.jacoco.core/report API in-process (JaCoCo's CoreTutorial approach), because
// Debian's libjacoco-java ships neither the CLI nor a usable -javaagent jar.
import java.io.*;
import java.lang.reflect.Method;
import java.nio.file.*;
import java.util.HashMap;
import java.util.Map;
import org.jacoco.core.analysis.*;
import org.jacoco.core.data.*;
import org.jacoco.core.instr.Instrumenter;
import org.jacoco.core.runtime.*;
import org.jacoco.report.*;
import org.jacoco.report.xml.XMLFormatter;

public class Report {
    static class Loader extends ClassLoader {
        final Map<String, byte[]> defs = new HashMap<>();
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            byte[] b = defs.get(name);
            if (b != null) return defineClass(name, b, 0, b.length);
            return super.loadClass(name, resolve);
        }
    }

    public static void main(String[] a) throws Exception {
        byte[] original = Files.readAllBytes(Paths.get(a[0]));
        IRuntime runtime = new LoggerRuntime();
        byte[] instrumented = new Instrumenter(runtime).instrument(original, "com.acme.Calc");
        RuntimeData data = new RuntimeData();
        runtime.startup(data);
        Loader loader = new Loader();
        loader.defs.put("com.acme.Calc", instrumented);
        Class<?> c = loader.loadClass("com.acme.Calc");
        // The "tests": add, abs of a positive number, sign of a positive number.
        c.getMethod("add", int.class, int.class).invoke(null, 1, 2);
        c.getMethod("abs", int.class).invoke(null, 5);
        c.getMethod("sign", int.class).invoke(null, 3);
        ExecutionDataStore exec = new ExecutionDataStore();
        SessionInfoStore sessions = new SessionInfoStore();
        data.collect(exec, sessions, false);
        runtime.shutdown();
        CoverageBuilder builder = new CoverageBuilder();
        new Analyzer(exec, builder).analyzeClass(original, "com.acme.Calc");
        IReportVisitor v = new XMLFormatter().createVisitor(new FileOutputStream(a[1]));
        v.visitInfo(sessions.getInfos(), exec.getContents());
        v.visitBundle(builder.getBundle("demo"), null);
        v.visitEnd();
    }
}
