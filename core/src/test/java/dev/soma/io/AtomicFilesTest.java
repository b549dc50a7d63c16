package dev.soma.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one way Soma writes files: whole or not at all, and no temporary file left behind. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    private static AtomicFiles.Contents text(String text) {
        return channel -> channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Path> listing(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }

    @Test
    void writesCreatingParentsAndReplacesAnOldFile() throws IOException {
        Path file = dir.resolve("a/b/notes.txt");
        AtomicFiles.write(file, "notes " + file, text("first"));
        AtomicFiles.write(file, "notes " + file, text("second"));
        assertEquals("second", Files.readString(file));
        assertEquals(List.of(file), listing(file.getParent()));
    }

    @Test
    void writesBytesWhole() throws IOException {
        byte[] bytes = new byte[3 << 20]; // several of the JDK's temporary direct buffers
        new java.util.Random(3).nextBytes(bytes);
        Path file = dir.resolve("blob.bin");
        AtomicFiles.write(file, "blob " + file, bytes);
        assertTrue(java.util.Arrays.equals(bytes, Files.readAllBytes(file)));
        assertEquals(List.of(file), listing(dir));
    }

    @Test
    void failingContentsLeaveTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "old");
        IOException failure = new IOException("disk full");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, "notes " + file, channel -> {
            channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            throw failure;
        }));
        assertEquals("cannot write notes " + file + ": disk full", e.getMessage());
        assertSame(failure, e.getCause());
        assertEquals("old", Files.readString(file));
        assertEquals(List.of(file), listing(dir));
    }

    @Test
    void aFailedRenameRemovesTheTemporaryFile() throws IOException {
        Path target = Files.createDirectories(dir.resolve("taken/inside")).getParent();
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, "x " + target, text("x")));
        assertTrue(e.getMessage().startsWith("cannot write x " + target + ": "), e.getMessage());
        assertEquals(List.of(target), listing(dir));
    }

    @Test
    void aParentThatIsAFileIsNamed() throws IOException {
        Path blocker = Files.writeString(dir.resolve("blocker"), "x");
        Path file = blocker.resolve("notes.txt");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, "notes " + file, text("x")));
        assertEquals("cannot write notes " + file + ": " + blocker + " exists and is not a directory", e.getMessage());
    }

    @Test
    void aPathWithoutAFileNameIsRejected() {
        Path root = dir.getRoot();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AtomicFiles.write(root, "notes " + root, text("x")));
        assertEquals("cannot write notes " + root + ": not a file name", e.getMessage());
    }

    @Test
    void theFileGetsOrdinaryPermissionsNotOwnerOnly() throws IOException {
        assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null, "POSIX permissions");
        Path ordinary = Files.createFile(dir.resolve("ordinary"));
        Path file = dir.resolve("notes.txt");
        AtomicFiles.write(file, "notes " + file, text("x"));
        assertEquals(Files.getPosixFilePermissions(ordinary), Files.getPosixFilePermissions(file));
    }

    @Test
    void aTemporaryLeftByAKilledRunIsSweptByTheNextWriteAndAFreshOneIsNot() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Path stale = Files.writeString(dir.resolve(".model.safetensors.0123456789abcdef.tmp"), "half a model");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(AtomicFiles.STALE_AFTER).minusSeconds(60)));
        Path fresh = Files.writeString(dir.resolve(".model.safetensors.fedcba9876543210.tmp"), "another writer's");
        Path otherFiles = Files.writeString(dir.resolve(".other.safetensors.0123456789abcdef.tmp"), "not ours to sweep");
        Files.setLastModifiedTime(otherFiles, FileTime.from(Instant.now().minus(Duration.ofDays(1))));
        Path lookalike = Files.writeString(dir.resolve(".model.safetensors.backup.tmp"), "not Soma's pattern");
        Files.setLastModifiedTime(lookalike, FileTime.from(Instant.now().minus(Duration.ofDays(1))));

        AtomicFiles.write(file, "model " + file, text("whole"));

        assertEquals(List.of(lookalike, fresh, otherFiles, file), listing(dir)); // sorted by name
    }

    @Test
    void theTemporaryBeingWrittenIsKnownUntilTheRenameAndTheShutdownHookDeletesIt() throws IOException {
        Path file = dir.resolve("notes.txt");
        List<Path> seen = new java.util.ArrayList<>();
        AtomicFiles.write(file, "notes " + file, channel -> {
            seen.addAll(AtomicFiles.inFlight().stream().filter(p -> p.getParent().equals(dir.toAbsolutePath())).toList());
            channel.write(ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8)));
        });
        assertEquals(1, seen.size(), seen::toString);
        assertTrue(seen.getFirst().getFileName().toString().matches("\\.notes\\.txt\\.[0-9a-f]+\\.tmp"), seen::toString);
        assertTrue(AtomicFiles.inFlight().stream().noneMatch(seen::contains), "forgotten after the rename");

        Path interrupted = dir.resolve("interrupted.txt");
        assertThrows(IOException.class, () -> AtomicFiles.write(interrupted, "interrupted " + interrupted, channel -> {
            AtomicFiles.deleteInFlight(); // what the shutdown hook does when Ctrl-C comes mid-write
            throw new IOException("stopped");
        }));
        assertEquals(List.of(file), listing(dir), "no temporary left behind");
    }
}
