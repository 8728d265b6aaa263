package io.jpod.buildtools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites a jar's class files older than Java 8 as Java 8 class files, with the stack map frames the
 * newer format needs. The JVM's class caches (AppCDS on 17, the AOT cache on 25) leave out classes older
 * than Java 6, so a library compiled for Java 5 (picocli) would be read, parsed and verified from its jar
 * on every start of a short-lived command.
 *
 * <p>{@code java io.jpod.buildtools.ClassVersionRaise <jar>...} rewrites each jar in place; entries other
 * than class files (and classes of Java 8 or later) are copied unchanged, in their order and with their times.
 */
public final class ClassVersionRaise {
    private ClassVersionRaise() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: ClassVersionRaise <jar>...");
            System.exit(2);
        }
        for (String a : args) {
            int n = raise(Path.of(a));
            System.out.println(a + ": " + n + " class files raised to Java 8");
        }
    }

    /** Rewrites {@code jar} in place; returns how many of its class files were raised. */
    public static int raise(Path jar) throws IOException {
        Path out = jar.resolveSibling(jar.getFileName() + ".raising");
        int raised = 0;
        try (ZipFile in = new ZipFile(jar.toFile());
                URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
                OutputStream file = Files.newOutputStream(out);
                ZipOutputStream zip = new ZipOutputStream(file)) {
            Enumeration<? extends ZipEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                byte[] bytes;
                try (InputStream s = in.getInputStream(e)) {
                    bytes = s.readAllBytes();
                }
                if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
                    byte[] newer = raise(bytes, classes);
                    if (newer != bytes) {
                        raised++;
                        bytes = newer;
                    }
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                zip.putNextEntry(copy);
                zip.write(bytes);
                zip.closeEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(out);
            throw e;
        }
        Files.move(out, jar, StandardCopyOption.REPLACE_EXISTING);
        return raised;
    }

    /** The class file as Java 8's, or the same array when it is Java 8 or later already. */
    static byte[] raise(byte[] classFile, ClassLoader hierarchy) {
        ClassReader reader = new ClassReader(classFile);
        int major = reader.readUnsignedShort(6);
        if (major >= 52) {
            return classFile;
        }
        ClassWriter writer = new HierarchyWriter(hierarchy);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }

    /** Frames need the common superclass of two types: asked of the jar's own classes, then the JDK's. */
    private static final class HierarchyWriter extends ClassWriter {
        private final ClassLoader hierarchy;

        HierarchyWriter(ClassLoader hierarchy) {
            super(COMPUTE_FRAMES);
            this.hierarchy = hierarchy;
        }

        @Override
        protected ClassLoader getClassLoader() {
            return hierarchy;
        }
    }
}
