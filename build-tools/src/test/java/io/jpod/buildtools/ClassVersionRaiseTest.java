package io.jpod.buildtools;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

public class ClassVersionRaiseTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aJava5ClassBecomesAJava8ClassThatStillVerifiesAndRuns() throws Exception {
        Path jar = tmp.getRoot().toPath().resolve("old.jar");
        byte[] text = "not a class".getBytes(StandardCharsets.UTF_8);
        try (OutputStream f = Files.newOutputStream(jar); ZipOutputStream z = new ZipOutputStream(f)) {
            z.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            z.write(text);
            z.putNextEntry(new ZipEntry("old/Pick.class"));
            z.write(java5Pick());
            z.putNextEntry(new ZipEntry("README.txt"));
            z.write(text);
        }

        assertEquals(1, ClassVersionRaise.raise(jar));

        try (ZipFile z = new ZipFile(jar.toFile())) {
            assertEquals(3, z.size());
            byte[] pick = z.getInputStream(z.getEntry("old/Pick.class")).readAllBytes();
            assertEquals(52, ((pick[6] & 0xff) << 8) | (pick[7] & 0xff));
            assertArrayEquals(text, z.getInputStream(z.getEntry("README.txt")).readAllBytes());
        }
        // the raised class passes the type-checking verifier (it needs frames at the branch's join)
        try (URLClassLoader l = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Method pick = Class.forName("old.Pick", true, l).getMethod("pick", boolean.class);
            assertEquals("StringBuilder", pick.invoke(null, true));
            assertEquals("ArrayList", pick.invoke(null, false));
        }
        assertFalse(Files.exists(jar.resolveSibling("old.jar.raising")));
    }

    @Test
    public void classesOfJava8AndLaterAreLeftAsTheyAre() throws Exception {
        byte[] own;
        try (var in = ClassVersionRaise.class.getResourceAsStream("ClassVersionRaise.class")) {
            own = in.readAllBytes();
        }
        assertTrue(ClassVersionRaise.raise(own, getClass().getClassLoader()) == own);
    }

    /** {@code static String pick(boolean b) { Object o = b ? new StringBuilder() : new ArrayList(); return simple name; }}, as Java 5. */
    private static byte[] java5Pick() {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        w.visit(Opcodes.V1_5, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "old/Pick", null, "java/lang/Object", null);
        MethodVisitor m = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "pick", "(Z)Ljava/lang/String;", null, null);
        m.visitCode();
        Label other = new Label();
        Label join = new Label();
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitJumpInsn(Opcodes.IFEQ, other);
        m.visitTypeInsn(Opcodes.NEW, "java/lang/StringBuilder");
        m.visitInsn(Opcodes.DUP);
        m.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/StringBuilder", "<init>", "()V", false);
        m.visitJumpInsn(Opcodes.GOTO, join);
        m.visitLabel(other);
        m.visitTypeInsn(Opcodes.NEW, "java/util/ArrayList");
        m.visitInsn(Opcodes.DUP);
        m.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/util/ArrayList", "<init>", "()V", false);
        m.visitLabel(join);
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/Object", "getClass", "()Ljava/lang/Class;", false);
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/Class", "getSimpleName", "()Ljava/lang/String;", false);
        m.visitInsn(Opcodes.ARETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        w.visitEnd();
        return w.toByteArray();
    }
}
