package dev.xcfi.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class ClassFileUpgradeTest {
    /** A Java 5 class (no stack map frames) whose method branches and merges two types: {@code n > 0 ? "pos" : Integer.valueOf(n)}. */
    static byte[] java5Class() {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        w.visit(Opcodes.V1_5, Opcodes.ACC_PUBLIC, "old/Sign", null, "java/lang/Object", null);
        MethodVisitor m = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "of", "(I)Ljava/lang/Object;", null, null);
        Label negative = new Label(), done = new Label();
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitJumpInsn(Opcodes.IFLE, negative);
        m.visitLdcInsn("pos");
        m.visitJumpInsn(Opcodes.GOTO, done);
        m.visitLabel(negative);
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", false);
        m.visitLabel(done);
        m.visitInsn(Opcodes.ARETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        w.visitEnd();
        return w.toByteArray();
    }

    @Test
    void oldClassFilesBecomeJava8AndBehaveTheSame(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("x.jar");
        byte[] modern = {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 65};
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry("old/Sign.class"));
            zip.write(java5Class());
            zip.putNextEntry(new ZipEntry("new/Untouched.class"));
            zip.write(modern);
            zip.putNextEntry(new ZipEntry("META-INF/notes.txt"));
            zip.write("kept".getBytes());
        }
        assertThat(ClassFileUpgrade.majorVersion(java5Class())).isEqualTo(49);

        assertThat(ClassFileUpgrade.upgrade(jar)).isEqualTo(1);

        try (ZipFile z = new ZipFile(jar.toFile())) {
            assertThat(ClassFileUpgrade.majorVersion(z.getInputStream(z.getEntry("old/Sign.class")).readAllBytes())).isEqualTo(52);
            assertThat(z.getInputStream(z.getEntry("new/Untouched.class")).readAllBytes()).isEqualTo(modern);
            assertThat(new String(z.getInputStream(z.getEntry("META-INF/notes.txt")).readAllBytes())).isEqualTo("kept");
        }
        // The upgraded class passes the type-checking verifier and computes what it did before.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            var of = loader.loadClass("old.Sign").getMethod("of", int.class);
            assertThat(of.invoke(null, 3)).isEqualTo("pos");
            assertThat(of.invoke(null, -2)).isEqualTo(-2);
        }
        assertThat(ClassFileUpgrade.upgrade(jar)).isZero();
    }
}
