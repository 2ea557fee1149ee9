package dev.xcfi.verify.llvm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LibLlvmLocatorTest {
    @Test
    void llvmConfigToolsOnThePathPointAtTheirLibraryFolders(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin")), lib = Files.createDirectories(dir.resolve("lib"));
        Files.writeString(lib.resolve("libLLVM.so.23.1"), "");
        Files.writeString(lib.resolve("libLLVM.so"), "");   // unversioned: says nothing, not a candidate
        Path tool = bin.resolve("llvm-config-23");
        Files.writeString(tool, "#!/bin/sh\n[ \"$1\" = --libdir ] && echo " + lib + "\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path broken = bin.resolve("llvm-config-broken");
        Files.writeString(broken, "#!/bin/sh\nexit 3\n");
        Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThat(LibLlvmLocator.fromLlvmConfig(bin + ":" + dir.resolve("missing"))).containsExactly(lib.resolve("libLLVM.so.23.1"));
        assertThat(LibLlvmLocator.major(lib.resolve("libLLVM.so.23.1"))).isEqualTo(23);
    }

    @Test
    void aNamedLibraryIsTheOnlyCandidate() {
        assertThat(LibLlvmLocator.candidates(Optional.of(Path.of("/x/libLLVM.so.22.1")))).containsExactly(Path.of("/x/libLLVM.so.22.1"));
    }

    @Test
    void theInstalledLlvmConfigIsFound() {
        // CI installs llvm-22, whose llvm-config-22 reports /usr/lib/llvm-22/lib.
        assertThat(LibLlvmLocator.fromLlvmConfig("/usr/bin")).anySatisfy(p -> assertThat(p.toString()).startsWith("/usr/lib/llvm-22/lib/libLLVM"));
    }
}
